using System.Diagnostics;
using System.Text;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.FaultTests;

/// <summary>
/// SIGTERM with hundreds of chat users connected: every one, logged in or at a prompt, is told
/// the server is shutting down, and the process exits with 0 within the 5 s the contract allows.
/// </summary>
[Trait("Category", "Fault")]
public sealed class ShutdownTests(ITestOutputHelper output)
{
    private const int TextUsers = 100;
    private const int JsonUsers = 100;
    private const int AtPrompt = 20;
    private const string Alert = "SERVER: [ ALERT ] Server shutting down...";
    private const string JsonAlert = "{\"status\": \"serverMessage\", \"data\": {\"message\": \"" + Alert + "\"}}";

    /// <summary>The contract's bound on a graceful stop (docs/protocols.md, "Shutdown").</summary>
    private static readonly TimeSpan ShutdownBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Sigterm_with_clients_that_stopped_reading_still_exits_with_zero_within_five_seconds()
    {
        const int broadcasts = 100; // enough to fill a stuck client's socket buffers, well under the outgoing queue limit (256)
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, "Chat:PasswordIterations=1000", "Chat:LinesPerSecond=100000", "Chat:LineBurst=100000", "Board:PostBurst=100000");
        var clients = new List<TcpTestClient>();
        try
        {
            var sender = await LoginAsync(server, "chat", "sender", clients);
            var reader = await LoginAsync(server, "chat", "reader", clients);
            for (var i = 0; i < 3; i++)
            {
                var stuck = await TcpTestClient.ConnectAsync(server.PortOf(i == 1 ? "chat-json" : "chat"), receiveBufferSize: 4096);
                clients.Add(stuck);
                await stuck.SendAsync(i == 1 ? $"{{\"command\": \"login\", \"data\": [\"stuck{i}\", \"secret\"]}}" : $"stuck{i}\nsecret\n");
                await stuck.ReadUntilAsync(i == 1 ? $"Logged in as stuck{i}" : "Welcome to the greatest messaging application ever!");
            }

            var padding = new string('p', 1000);
            for (var i = 0; i < broadcasts; i++)
            {
                await sender.SendAsync($"broadcast {i} {padding}\n");
            }

            // The reader has them all, so the server has queued them all for the stuck ones too.
            await reader.ReadUntilAsync($"sender (broadcast): {broadcasts - 1} {padding}\n");

            // A board and a crypto client that send requests and never read the replies.
            var board = await TcpTestClient.ConnectAsync(server.BoardPort, receiveBufferSize: 4096);
            clients.Add(board);
            await board.SendAsync("POST" + padding + "%\n"); // a session: kept open while it does not read
            _ = board.TrySendAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("GET%", 2000))));
            var crypto = await TcpTestClient.ConnectAsync(server.PortOf("crypto"), receiveBufferSize: 4096);
            clients.Add(crypto);
            _ = crypto.TrySendAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat($"#en#{padding}#\n", 500))));
            await ServerChecks.AssertHealthyAsync(server.OpsPort);

            var stopwatch = Stopwatch.StartNew();
            server.Terminate();
            var exitCode = await server.WaitForExitAsync();
            var elapsed = stopwatch.Elapsed;
            output.WriteLine($"Exit code {exitCode} {elapsed.TotalMilliseconds:F0} ms after SIGTERM, with five clients not reading.");
            Assert.True(exitCode == 0, $"Exit code {exitCode}. Output:\n{server.Output}");
            Assert.True(elapsed < ShutdownBound, $"The server took {elapsed.TotalMilliseconds:F0} ms to exit after SIGTERM; the contract says 5 s at most.");
            ServerChecks.AssertNoStandardError(server.Output);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        ServerChecks.AssertLogClean(data.Path);
    }

    private static async Task<TcpTestClient> LoginAsync(ServerProcess server, string dialect, string name, List<TcpTestClient> clients)
    {
        var client = await TcpTestClient.ConnectAsync(server.PortOf(dialect));
        clients.Add(client);
        await client.SendAsync($"{name}\nsecret\n");
        await client.ReadUntilAsync("Welcome to the greatest messaging application ever!\n");
        return client;
    }

    [Fact]
    public async Task Sigterm_tells_every_chat_user_and_exits_with_zero_within_five_seconds()
    {
        using var data = new TempDirectory();
        // Every user registers from this one address: lift the per-address registration limit.
        await using var server = await ServerProcess.StartAsync(data.Path, "Chat:PasswordIterations=1000", "Limits:ConnectionsPerAddress=1000", "Chat:RegistrationsPerHour=100000", "Chat:LoginAttemptsPerMinute=100000");
        var clients = new List<(TcpTestClient Client, string Alert)>();
        try
        {
            for (var i = 0; i < TextUsers; i++)
            {
                var client = await TcpTestClient.ConnectAsync(server.PortOf("chat"));
                clients.Add((client, Alert));
                await client.SendAsync($"text{i}\nsecret\n");
                Assert.Equal("Username: Password: Welcome to the greatest messaging application ever!", await client.ReadLineAsync());
            }

            for (var i = 0; i < JsonUsers; i++)
            {
                var client = await TcpTestClient.ConnectAsync(server.PortOf("chat-json"));
                clients.Add((client, JsonAlert));
                await client.SendAsync($"{{\"command\": \"login\", \"data\": [\"json{i}\", \"secret\"]}}\n");
                Assert.StartsWith("{\"status\": \"success\", \"data\": {\"command\": \"login\"", await client.ReadLineAsync(), StringComparison.Ordinal);
            }

            for (var i = 0; i < AtPrompt; i++)
            {
                var client = await TcpTestClient.ConnectAsync(server.PortOf("chat"));
                clients.Add((client, Alert));
                Assert.Equal("Username: ", await client.ReadUntilAsync(": "));
            }

            await ServerChecks.AssertHealthyAsync(server.OpsPort);
            ServerChecks.AssertMemoryBounded(server.Id);

            var closes = clients.Select(c => c.Client.ReadUntilClosedAsync()).ToArray();
            var stopwatch = Stopwatch.StartNew();
            server.Terminate();
            var exitCode = await server.WaitForExitAsync();
            var elapsed = stopwatch.Elapsed;
            var outcomes = await Task.WhenAll(closes);
            output.WriteLine($"{clients.Count} chat connections; exit code {exitCode} {elapsed.TotalMilliseconds:F0} ms after SIGTERM.");

            Assert.True(exitCode == 0, $"Exit code {exitCode}. Output:\n{server.Output}");
            ServerChecks.AssertNoStandardError(server.Output);
            Assert.True(elapsed < ShutdownBound, $"The server took {elapsed.TotalMilliseconds:F0} ms to exit after SIGTERM; the contract says 5 s at most.");

            // Presence lines may come first; the last line before the close is the alert.
            for (var i = 0; i < clients.Count; i++)
            {
                var lines = outcomes[i].Text.Split('\n');
                Assert.True(
                    !outcomes[i].Reset && lines.Length >= 2 && lines[^1].Length == 0 && lines[^2] == clients[i].Alert,
                    $"Connection #{i} got '{outcomes[i].Text}' (reset: {outcomes[i].Reset}) instead of ending with '{clients[i].Alert}'");
            }
        }
        finally
        {
            foreach (var (client, _) in clients)
            {
                await client.DisposeAsync();
            }
        }

        ServerChecks.AssertLogClean(data.Path);
    }
}
