using System.Net.Security;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Ops;
using SocketHub.TestSupport;
using Xunit;
using static SocketHub.Server.Tests.Proxy.ProxyHeaders;

namespace SocketHub.Server.Tests.Proxy;

/// <summary>
/// The real server with <c>Listen:TrustedProxies=127.0.0.1</c> and one connection per address:
/// every connection comes from 127.0.0.1, so only the address in its header can tell them apart.
/// Two claimed addresses each get their own allowance; the same one twice hits the limit; on the
/// plain port, the TLS twin (header, then handshake) and the ops port alike. From any other
/// address a header is just bytes of the dialect.
/// </summary>
public sealed class ProxyProtocolServerTests
{
    private static readonly string[] Settings = ["Listen:TrustedProxies=127.0.0.1", "Limits:ConnectionsPerAddress=1"];

    [Fact]
    public async Task On_a_dialect_port_the_limit_counts_the_claimed_address()
    {
        await using var server = await TestServer.StartAsync(Settings);
        await using var student = await ProxiedClient.ConnectAsync(server.BoardPort, V2From("203.0.113.7"));
        await student.SendAsync("POSThello%\n");
        Assert.Equal("MSGPosting Message!%", await student.ReadRepliesAsync(1));

        await using (var other = await ProxiedClient.ConnectAsync(server.BoardPort, V1("PROXY TCP4 203.0.113.8 10.0.0.11 40001 8080\r\n")))
        {
            await other.SendAsync("GET1%\n");
            Assert.Equal("MSG[(2, 'hello')]%", await other.ReadRepliesAsync(1));
        }

        await using (var again = await ProxiedClient.ConnectAsync(server.BoardPort, V2From("203.0.113.7")))
        {
            Assert.Equal("ERRToo many connections from your address%", await again.ReadToEndAsync());
        }

        Assert.Contains(Feed(server), e => e.Text.StartsWith("203.0.113.7: turned away", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_a_tls_port_the_header_comes_before_the_handshake_and_the_limit_counts_the_claimed_address()
    {
        await using var server = await TestServer.StartAsync(Settings);
        var port = server.PortOf("board-tls");
        await using var student = await ProxiedClient.ConnectTlsAsync(port, server.TlsFingerprint, V2From("203.0.113.7"));
        Assert.Equal("MSGPosting Message!%", await ExchangeAsync(student, "POSThello%\n"));

        await using (var other = await ProxiedClient.ConnectTlsAsync(port, server.TlsFingerprint, V2From("2001:db8::8")))
        {
            Assert.Equal("MSG[(2, 'hello')]%", await ExchangeAsync(other, "GET1%\n"));
        }

        // Over the limit on a TLS port the connection is closed before the handshake.
        await Assert.ThrowsAnyAsync<Exception>(async () => await ProxiedClient.ConnectTlsAsync(port, server.TlsFingerprint, V2From("203.0.113.7")));
        Assert.Contains(Feed(server), e => e.Text.StartsWith("203.0.113.7: turned away", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_the_ops_port_the_limit_and_the_audit_see_the_claimed_address()
    {
        await using var server = await TestServer.StartAsync(Settings);
        await using var held = await ProxiedClient.ConnectAsync(server.OpsPort, V2From("203.0.113.7"));
        await held.SendAsync("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200", await held.ReadUntilAsync("\r\n\r\n"), StringComparison.Ordinal);

        Assert.StartsWith("HTTP/1.1 200", await RequestAsync(server.OpsPort, V2From("203.0.113.8"), "/health"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 503", await RequestAsync(server.OpsPort, V2From("203.0.113.7"), "/health"), StringComparison.Ordinal);

        // Without a token the audit answers only to this machine: a proxied student is not this
        // machine even though the proxy is, and a client the proxy says is local is.
        Assert.StartsWith("HTTP/1.1 403", await RequestAsync(server.OpsPort, V2From("203.0.113.9"), "/audit"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", await RequestAsync(server.OpsPort, V1("PROXY TCP4 127.0.0.1 127.0.0.1 40000 8088\r\n"), "/audit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_health_check_with_a_local_header_is_served_as_the_proxy_itself()
    {
        await using var server = await TestServer.StartAsync(Settings);
        await using var check = await ProxiedClient.ConnectAsync(server.BoardPort, V2Local());
        await check.SendAsync("GET1%\n");
        Assert.Equal("MSG[]%", await check.ReadRepliesAsync(1));

        await using var second = await ProxiedClient.ConnectAsync(server.BoardPort, V1("PROXY UNKNOWN\r\n"));
        Assert.Equal("ERRToo many connections from your address%", await second.ReadToEndAsync());
        Assert.Contains(Feed(server), e => e.Text.StartsWith("127.0.0.1: turned away", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_trusted_proxy_without_a_header_is_closed_without_reaching_the_dialect()
    {
        await using var server = await TestServer.StartAsync(Settings);
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        await client.SendAsync("POSThello%\n");

        Assert.Equal("", (await client.ReadUntilClosedAsync()).Text);
        Assert.Contains(Feed(server), e => e.Text.Contains("trusted proxy sent no valid PROXY header", StringComparison.Ordinal));
        await using var check = await ProxiedClient.ConnectAsync(server.BoardPort, V2From("203.0.113.7"));
        await check.SendAsync("GET1%\n");
        Assert.Equal("MSG[]%", await check.ReadRepliesAsync(1));
    }

    [Fact]
    public async Task An_untrusted_clients_header_is_not_honoured()
    {
        await using var server = await TestServer.StartAsync(Settings);
        var untrusted = TcpTestClient.Loopback(2);
        await using var held = await TcpTestClient.ConnectAsync(server.BoardPort, untrusted);
        await held.SendAsync("GET1%\n");
        Assert.Equal("MSG[]%", await held.ReadRepliesAsync(1));

        // Honoured, the header would make this a connection from 203.0.113.7 and let it in.
        await using (var spoof = await ProxiedClient.ConnectAsync(server.BoardPort, V2From("203.0.113.7"), untrusted))
        {
            Assert.Equal("ERRToo many connections from your address%", await spoof.ReadToEndAsync());
        }

        // To the dialect the header is a frame like any other bytes, answered as today.
        await held.SendAsync([.. V1("PROXY TCP4 203.0.113.7 10.0.0.11 40000 8080\r\n"), .. "GET1%\n"u8]);
        Assert.Equal("ERRUnknown Command%", await held.ReadRepliesAsync(1));
        Assert.DoesNotContain(Feed(server), e => e.Text.Contains("203.0.113.7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_trusted_proxies_every_byte_reaches_the_dialect_as_before()
    {
        await using var server = await TestServer.StartAsync("Limits:ConnectionsPerAddress=1");
        await using var client = await ProxiedClient.ConnectAsync(server.BoardPort, V1("PROXY TCP4 203.0.113.7 10.0.0.11 40000 8080\r\n"));
        await client.SendAsync("GET1%\n");
        Assert.Equal("ERRUnknown Command%", await client.ReadRepliesAsync(1));
    }

    private static IReadOnlyList<ActivityEvent> Feed(TestServer server) =>
        server.App.Services.GetRequiredService<ActivityFeed>().Recent();

    private static async Task<string> ExchangeAsync(SslStream ssl, string request)
    {
        await ssl.WriteAsync(Encoding.UTF8.GetBytes(request));
        var reply = new List<byte>();
        var buffer = new byte[1];
        using var deadline = new CancellationTokenSource(RawClient.Deadline);
        while (await ssl.ReadAsync(buffer, deadline.Token) == 1)
        {
            reply.Add(buffer[0]);
            if (buffer[0] == '%')
            {
                break;
            }
        }

        return Encoding.UTF8.GetString([.. reply]);
    }

    private static async Task<string> RequestAsync(int port, byte[] header, string path)
    {
        await using var client = await ProxiedClient.ConnectAsync(port, header);
        await client.SendAsync($"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        return await client.ReadToEndAsync();
    }
}
