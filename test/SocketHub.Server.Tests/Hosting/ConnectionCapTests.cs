using System.Net.Http;
using System.Text.RegularExpressions;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Hosting;

/// <summary>
/// More connections than the process has file descriptors for: the server turns the extra ones
/// away with a reason and goes on serving, instead of failing to accept, then to make pipes, and
/// aborting.
/// </summary>
public sealed partial class ConnectionCapTests
{
    [Fact]
    public async Task Past_the_cap_derived_from_the_open_file_limit_clients_are_told_and_the_server_lives()
    {
        const int openFiles = 1024;
        const int attempts = 1100;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartWithOpenFileLimitAsync(data.Path, openFiles, "Limits:ConnectionsPerAddress=100000");
        var cap = int.Parse(MaxConnectionsLine().Match(await server.WaitForOutputAsync("connections at once")).Groups[1].Value);
        Assert.InRange(cap, 16, openFiles - 256);

        var clients = new List<TcpTestClient>();
        try
        {
            for (var i = 0; i < attempts; i++)
            {
                clients.Add(await TcpTestClient.ConnectAsync(server.PortOf("crypto")));
            }

            // Connections are handled concurrently, so which ones got a place is not their
            // connection order: the refused ones are those told why and closed, exactly as many as
            // went past the cap; the others are served.
            var reads = clients.Select(c => c.ReadToEndAsync()).ToList();
            var pending = reads.ToList();
            var refused = new List<Task<string>>();
            while (refused.Count < attempts - cap)
            {
                var done = await Task.WhenAny(pending);
                pending.Remove(done);
                refused.Add(done);
                Assert.Equal("#er#The server is full; try again later#\n", await done);
            }

            Assert.Equal(cap, pending.Count(t => !t.IsCompleted));

            // A place given back is a place to take: once the server has seen one served client
            // leave, a new client is served (until then it is told the server is full).
            await clients[reads.IndexOf(pending[0])].DisposeAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => pending[0]);
            string? reply = null;
            for (var attempt = 0; attempt < 100 && reply is null; attempt++)
            {
                await using var next = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
                await next.SendAsync("#en#still here#\n");
                var line = await next.ReadLineAsync();
                reply = line.StartsWith("#en#", StringComparison.Ordinal) ? line : null;
            }

            Assert.NotNull(reply);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        Assert.False(server.HasExited);
        await server.WaitForOutputAsync("the server is at its connection limit");
        using var http = new HttpClient();
        var ready = await http.GetAsync($"http://127.0.0.1:{server.OpsPort}/health", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task The_ops_port_has_the_per_address_limit_too()
    {
        await using var server = await TestServer.StartAsync("Limits:ConnectionsPerAddress=3");
        var idle = new List<TcpTestClient>();
        for (var i = 0; i < 3; i++)
        {
            // A finished TCP handshake does not mean the server has accepted the connection yet;
            // an answered request does, so the fourth is surely the one past the limit.
            var client = await TcpTestClient.ConnectAsync(server.OpsPort);
            idle.Add(client);
            await client.SendAsync("GET /health HTTP/1.1\r\nHost: test\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", await client.ReadUntilAsync("\r\n\r\n"));
        }

        await using var fourth = await TcpTestClient.ConnectAsync(server.OpsPort);
        var answer = await fourth.ReadUntilAsync("address\n");
        Assert.StartsWith("HTTP/1.1 503 Service Unavailable\r\n", answer);
        Assert.EndsWith("\r\n\r\nToo many connections from your address\n", answer);
        foreach (var client in idle)
        {
            await client.DisposeAsync();
        }
    }

    [GeneratedRegex(@"At most (\d+) connections at once")]
    private static partial Regex MaxConnectionsLine();
}
