using System.Diagnostics;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Hosting;

/// <summary>
/// Stopping (SIGTERM from docker or systemd, or the host's StopAsync) closes every connection,
/// idle or halfway through a command, and the process ends with exit code 0.
/// </summary>
public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sigterm_closes_every_connection_and_exits_with_code_zero()
    {
        const int idleClients = 20;
        var data = TestServer.NewDataDirectory();
        List<TcpTestClient> clients = [];
        try
        {
            await using var server = await ServerProcess.StartAsync(data);

            // A round trip each, so every connection is in the server's hands (not just in the
            // kernel's accept queue) before the signal; then they sit idle.
            for (var i = 0; i < idleClients; i++)
            {
                var client = await TcpTestClient.ConnectAsync(server.BoardPort);
                clients.Add(client);
                await client.SendAsync("GET9%\n"); // a session: it stays open
                Assert.Equal("MSG[]%", await client.ReadRepliesAsync(1));
            }

            var halfway = await TcpTestClient.ConnectAsync(server.BoardPort);
            clients.Add(halfway);
            await halfway.SendAsync("GET9%\nPOSTunfinished");
            Assert.Equal("MSG[]%", await halfway.ReadRepliesAsync(1));

            var closes = clients.Select(ReadUntilClosedAsync).ToArray();
            var stopwatch = Stopwatch.StartNew();
            server.Terminate();
            var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var exitedAfter = stopwatch.Elapsed;
            var outcomes = await Task.WhenAll(closes);

            output.WriteLine($"Exited with {exitCode} {exitedAfter.TotalMilliseconds:F0} ms after SIGTERM.");
            output.WriteLine($"Connections: {string.Join(", ", outcomes.GroupBy(o => o).Select(g => $"{g.Count()} x {g.Key}"))}");
            output.WriteLine(server.Output);

            Assert.True(exitCode == 0, $"Exit code {exitCode} after SIGTERM. Output:\n{server.Output}");

            // Idle clients, and one whose command never ended, are owed no reply: just the close.
            Assert.All(outcomes, o => Assert.True(o is "end-of-stream" or "reset", o));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            TestServer.TryDelete(data);
        }
    }

    [Fact]
    public async Task Stopping_the_host_closes_an_idle_connection()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        await client.SendAsync("GET9%\n"); // a session: it stays open
        Assert.Equal("MSG[]%", await client.ReadRepliesAsync(1));

        var closed = client.ReadToEndAsync();
        var stopwatch = Stopwatch.StartNew();
        await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        output.WriteLine($"StopAsync took {stopwatch.Elapsed.TotalMilliseconds:F0} ms.");
        Assert.Equal(string.Empty, await closed);
    }

    /// <summary>Reads until the server closes: "end-of-stream", "reset", or what arrived before an orderly close.</summary>
    private static async Task<string> ReadUntilClosedAsync(TcpTestClient client) => await client.ReadUntilClosedAsync() switch
    {
        { Reset: true } => "reset",
        { Text: "" } => "end-of-stream",
        { Text: var rest } => $"end-of-stream after '{rest}'",
    };
}
