using System.Diagnostics;
using SocketHub.Server.Tests.Infrastructure;
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
    private const string JsonAlert = "{\"status\":\"server\",\"data\":{\"message\":\"" + Alert + "\"}}";

    /// <summary>The contract's bound on a graceful stop (docs/protocols.md, "Shutdown").</summary>
    private static readonly TimeSpan ShutdownBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Sigterm_tells_every_chat_user_and_exits_with_zero_within_five_seconds()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, "Chat:PasswordIterations=1000", "Limits:ConnectionsPerAddress=1000");
        var clients = new List<(Hostile Client, string Alert)>();
        try
        {
            for (var i = 0; i < TextUsers; i++)
            {
                var client = await Hostile.ConnectAsync(server.PortOf("chat"));
                clients.Add((client, Alert));
                await client.SendAsync($"text{i}\nsecret\n");
                Assert.Equal("Username: Password: Welcome to the greatest messaging application ever!", await client.ReadLineAsync());
            }

            for (var i = 0; i < JsonUsers; i++)
            {
                var client = await Hostile.ConnectAsync(server.PortOf("chat-json"));
                clients.Add((client, JsonAlert));
                await client.SendAsync($"{{\"command\": \"login\", \"data\": [\"json{i}\", \"secret\"]}}\n");
                Assert.StartsWith("{\"status\":\"success\",\"command\":\"login\"", await client.ReadLineAsync(), StringComparison.Ordinal);
            }

            for (var i = 0; i < AtPrompt; i++)
            {
                var client = await Hostile.ConnectAsync(server.PortOf("chat"));
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
