using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using SocketHub.Server.Hosting;
using SocketHub.Server.Hosting.Proxy;
using SocketHub.Server.Ops;
using SocketHub.TestSupport;
using Xunit;
using static SocketHub.Server.Tests.Proxy.ProxyHeaders;

namespace SocketHub.Server.Tests.Proxy;

/// <summary>
/// The middleware over an in-memory connection: what the next in line sees (the address and the
/// exact bytes after the header), for trusted and untrusted peers, headers cut across writes,
/// bad headers, a silent proxy and one that hangs up.
/// </summary>
public sealed class ProxyHeaderReaderTests : IDisposable
{
    private static readonly IPAddress Proxy = IPAddress.Parse("127.0.0.1");

    private readonly ActivityFeed _feed = new(TimeProvider.System);
    private readonly RefusalSummary _refusals;

    public ProxyHeaderReaderTests() => _refusals = new RefusalSummary(_feed, TimeProvider.System, NullLogger<RefusalSummary>.Instance);

    public void Dispose() => _refusals.Dispose();

    [Fact]
    public async Task A_header_cut_across_writes_sets_the_address_and_leaves_the_dialect_bytes_exactly()
    {
        var connection = From(Proxy);
        var next = new Next();
        var run = Reader().InvokeAsync(connection, next.InvokeAsync);

        byte[] sent = [.. V2From("203.0.113.7"), .. "GET%POSThi%"u8];
        var written = 0;
        foreach (var cut in new[] { 1, 12, 13, 14, 16, 20, 27 })
        {
            await connection.Application.Output.WriteAsync(sent.AsMemory(written, cut - written));
            written = cut;
            await Task.Yield();
            Assert.False(next.Called.Task.IsCompleted, $"the next in line ran after {cut} bytes of the header");
        }

        await connection.Application.Output.WriteAsync(sent.AsMemory(written));
        await connection.Application.Output.CompleteAsync();
        await run;

        Assert.Equal("203.0.113.7:40000", (await next.Called.Task)!.ToString());
        Assert.Equal("GET%POSThi%", next.Bytes);
    }

    [Fact]
    public async Task A_v1_line_then_the_dialect_in_one_write()
    {
        var connection = From(Proxy);
        var next = new Next();
        await connection.Application.Output.WriteAsync("PROXY TCP4 198.51.100.9 10.0.0.11 5555 8080\r\nPROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n"u8.ToArray());
        await connection.Application.Output.CompleteAsync();

        await Reader().InvokeAsync(connection, next.InvokeAsync);

        Assert.Equal("198.51.100.9:5555", (await next.Called.Task)!.ToString());
        // Only the first line is the header: a second one is the dialect's, as any client's bytes.
        Assert.Equal("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n", next.Bytes);
    }

    [Fact]
    public async Task A_local_header_keeps_the_proxys_own_address()
    {
        var connection = From(Proxy);
        var own = connection.RemoteEndPoint;
        var next = new Next();
        await connection.Application.Output.WriteAsync((byte[])[.. V2Local(), .. "GET%"u8]);
        await connection.Application.Output.CompleteAsync();

        await Reader().InvokeAsync(connection, next.InvokeAsync);

        Assert.Equal(own, await next.Called.Task);
        Assert.Equal("GET%", next.Bytes);
    }

    [Fact]
    public async Task An_untrusted_peer_is_not_read_from_and_its_header_is_dialect_bytes()
    {
        var connection = From(IPAddress.Parse("127.0.0.2"));
        var own = connection.RemoteEndPoint;
        var next = new Next();
        byte[] spoof = [.. V2From("203.0.113.7"), .. "GET%"u8];
        await connection.Application.Output.WriteAsync(spoof);
        await connection.Application.Output.CompleteAsync();

        await Reader().InvokeAsync(connection, next.InvokeAsync);

        Assert.Equal(own, await next.Called.Task);
        Assert.Equal(Encoding.Latin1.GetString(spoof), next.Bytes);
    }

    [Fact]
    public async Task A_trusted_peer_without_a_header_is_closed_and_refused_once_with_the_reason()
    {
        var connection = From(Proxy);
        var next = new Next();
        await connection.Application.Output.WriteAsync("GET%"u8.ToArray());

        await Reader().InvokeAsync(connection, next.InvokeAsync);

        Assert.False(next.Called.Task.IsCompleted);
        var refusal = Assert.Single(_feed.Recent());
        Assert.Contains("127.0.0.1", refusal.Text, StringComparison.Ordinal);
        Assert.Contains(ProxyHeaderParser.NotAHeader, refusal.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trusted_peer_with_a_malformed_header_is_closed()
    {
        var connection = From(Proxy);
        var next = new Next();
        await connection.Application.Output.WriteAsync(V1("PROXY TCP4 203.0.113.7 10.0.0.11 70000 8080\r\nGET%"));

        await Reader().InvokeAsync(connection, next.InvokeAsync);

        Assert.False(next.Called.Task.IsCompleted);
        Assert.Contains("port", Assert.Single(_feed.Recent()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trusted_peer_that_sends_half_a_header_then_nothing_is_closed_at_the_timeout()
    {
        var connection = From(Proxy);
        var next = new Next();
        await connection.Application.Output.WriteAsync(V2From("203.0.113.7").AsMemory(0, 20));

        await Reader(TimeSpan.FromMilliseconds(200)).InvokeAsync(connection, next.InvokeAsync);

        Assert.False(next.Called.Task.IsCompleted);
        Assert.Contains("Listen:ProxyHeaderTimeoutSeconds", Assert.Single(_feed.Recent()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trusted_peer_that_closes_mid_header_is_closed()
    {
        var connection = From(Proxy);
        var next = new Next();
        await connection.Application.Output.WriteAsync(V1("PROXY TCP4 203.0.113.7 10.0"));
        await connection.Application.Output.CompleteAsync();

        await Reader().InvokeAsync(connection, next.InvokeAsync);

        Assert.False(next.Called.Task.IsCompleted);
        Assert.Contains("closed in the middle", Assert.Single(_feed.Recent()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trusted_ipv4_mapped_peer_counts_as_its_ipv4_address()
    {
        var connection = From(IPAddress.Parse("::ffff:127.0.0.1"));
        var next = new Next();
        await connection.Application.Output.WriteAsync(V2From("2001:db8::7"));
        await connection.Application.Output.CompleteAsync();

        await Reader().InvokeAsync(connection, next.InvokeAsync);

        Assert.Equal("[2001:db8::7]:40000", (await next.Called.Task)!.ToString());
    }

    private ProxyHeaderReader Reader(TimeSpan? timeout = null)
    {
        Assert.True(TrustedProxies.TryParseEntry("127.0.0.1", out var network, out _));
        var settings = new ProxyProtocolSettings(new TrustedProxies([network]), timeout ?? TimeSpan.FromSeconds(30));
        return new ProxyHeaderReader("board", settings, _refusals, NullLogger<ProxyHeaderReader>.Instance);
    }

    private static InMemoryConnection From(IPAddress address) => new() { RemoteEndPoint = new IPEndPoint(address, 50000) };

    /// <summary>The next in line: the address it was handed, and every byte it could read.</summary>
    private sealed class Next
    {
        public TaskCompletionSource<EndPoint?> Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Bytes { get; private set; } = "";

        public async Task InvokeAsync(ConnectionContext connection)
        {
            Called.SetResult(connection.RemoteEndPoint);
            var input = connection.Transport.Input;
            var all = new List<byte>();
            while (true)
            {
                var read = await input.ReadAsync();
                foreach (var segment in read.Buffer)
                {
                    all.AddRange(segment.Span);
                }

                input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }

            Bytes = Encoding.Latin1.GetString([.. all]);
        }
    }
}
