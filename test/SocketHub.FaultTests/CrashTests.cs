using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.FaultTests;

/// <summary>
/// Acknowledged means stored: SIGKILL the server in the middle of a burst of board posts and
/// chat messages to offline users, restart it on the same data folder, and every acknowledged
/// post and message is there, and the database passes SQLite's integrity check.
/// </summary>
[Trait("Category", "Fault")]
public sealed partial class CrashTests(ITestOutputHelper output)
{
    private const int Posters = 4;
    private const int Senders = 4;
    private const int AcksBeforeKill = 150; // of each kind

    private static readonly string[] Settings =
    [
        "Board:PostsPerSecond=100000", "Board:PostBurst=100000", "Board:MaxListed=100000",
        "Chat:PasswordIterations=1000", "Chat:LinesPerSecond=100000", "Chat:LineBurst=100000",
        "History:Users:0=alice", "History:RequestsPerSecond=100000", "History:RequestBurst=100000",
    ];

    private const string MessageAck = "{\"status\": \"success\", \"data\": {\"command\": \"message\", \"message\": \"Your message will be sent when ";

    [Fact]
    public async Task Every_acknowledged_post_history_request_and_offline_message_survives_a_kill()
    {
        using var data = new TempDirectory();
        var posts = new ConcurrentBag<string>();
        var messages = new ConcurrentBag<(string Recipient, string Text)>();
        var postAcks = 0;
        var messageAcks = 0;
        var historyAcks = 0;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using (var server = await ServerProcess.StartAsync(data.Path, Settings))
        {
            // The recipients exist but are offline; the senders are logged in on the JSON port.
            for (var r = 0; r < Senders; r++)
            {
                await using var recipient = await TcpTestClient.ConnectAsync(server.PortOf("chat"));
                await recipient.SendAsync($"away{r}\nsecret\nlogout\n");
                Assert.EndsWith("Goodbye.\n", (await recipient.ReadUntilClosedAsync()).Text, StringComparison.Ordinal);
            }

            void Acked(ref int count, int other)
            {
                if (Interlocked.Increment(ref count) >= AcksBeforeKill && Volatile.Read(ref other) >= AcksBeforeKill)
                {
                    enough.TrySetResult();
                }
            }

            var posters = Enumerable.Range(0, Posters).Select(p => Task.Run(async () =>
            {
                await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
                for (var i = 0; ; i++)
                {
                    var text = $"p{p}-{i}";
                    if (!await UntilDeadAsync(async () =>
                    {
                        await client.SendAsync($"POST{text}%\n"); // a line end keeps the session
                        Assert.Equal("MSGPosting Message!%", await client.ReadUntilAsync("%"));
                    }))
                    {
                        return;
                    }

                    posts.Add(text);
                    Acked(ref postAcks, messageAcks);
                }
            }));

            var senders = Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
            {
                await using var client = await TcpTestClient.ConnectAsync(server.PortOf("chat-json"));
                await client.SendAsync($"{{\"command\": \"login\", \"data\": [\"sender{s}\", \"secret\"]}}\n");
                Assert.StartsWith("{\"status\": \"success\", \"data\": {\"command\": \"login\"", await client.ReadLineAsync(), StringComparison.Ordinal);
                for (var i = 0; ; i++)
                {
                    var recipient = $"away{i % Senders}";
                    var text = $"s{s}-{i}";
                    if (!await UntilDeadAsync(async () =>
                    {
                        await client.SendAsync($"{{\"command\": \"message\", \"data\": [\"{recipient}\", \"{text}\"]}}\n");
                        var reply = await client.ReadLineAsync();
                        while (reply.StartsWith("{\"status\": \"broadcast\"", StringComparison.Ordinal))
                        {
                            reply = await client.ReadLineAsync();
                        }

                        Assert.StartsWith(MessageAck, reply, StringComparison.Ordinal);
                    }))
                    {
                        return;
                    }

                    messages.Add((recipient, text));
                    Acked(ref messageAcks, postAcks);
                }
            }));

            // History requests: each reply is sent after its line is committed.
            var historian = Task.Run(async () =>
            {
                while (true)
                {
                    try
                    {
                        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("history"));
                        await client.SendAsync("alice\n");
                        if (!(await client.ReadUntilClosedAsync()).Text.StartsWith("To download this server code", StringComparison.Ordinal))
                        {
                            return; // the server died mid-reply
                        }
                    }
                    catch (SocketException)
                    {
                        return;
                    }

                    Interlocked.Increment(ref historyAcks);
                }
            });

            var all = Task.WhenAll([.. posters, .. senders, historian]);
            await Task.WhenAny(enough.Task, all).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            Assert.True(enough.Task.IsCompleted, $"The clients stopped before the kill. Output:\n{server.Output}");
            server.Kill();
            await server.WaitForExitAsync();
            await all;
            ServerChecks.AssertNoStandardError(server.Output);
        }

        output.WriteLine($"Killed after {posts.Count} acknowledged posts, {historyAcks} history requests and {messages.Count} offline messages.");

        await using (var restarted = await ServerProcess.StartAsync(data.Path, Settings))
        {
            await using (var board = await TcpTestClient.ConnectAsync(restarted.BoardPort))
            {
                await board.SendAsync("GET%");
                var listed = ListEntry().Matches(await board.ReadUntilAsync("]%")).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
                var missing = posts.Where(p => !listed.Contains(p)).ToList();
                Assert.True(missing.Count == 0, $"{missing.Count} of {posts.Count} acknowledged posts are missing: {string.Join(", ", missing.Take(20))}");
            }

            var historyLines = Convert.ToInt32(StoredData.Query(data.Path, "SELECT COUNT(*) FROM HistoryLines;").Single()[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(historyLines >= historyAcks, $"{historyAcks} history requests were answered, but the history holds {historyLines} lines.");

            var stored = StoredData.Query(data.Path, "SELECT Recipient, Text FROM ChatOfflineMessages;")
                .Select(r => ((string)r[0], (string)r[1])).ToHashSet();
            var lost = messages.Where(m => !stored.Contains(m)).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} of {messages.Count} acknowledged offline messages are missing: {string.Join(", ", lost.Take(20))}");

            // And the recipient really gets them, each once.
            var forAway0 = stored.Count(m => m.Item1 == "away0");
            await using (var away0 = await TcpTestClient.ConnectAsync(restarted.PortOf("chat")))
            {
                await away0.SendAsync("away0\nsecret\n");
                Assert.Equal("Username: Password: Welcome to the greatest messaging application ever!", await away0.ReadLineAsync());
                var delivered = new List<string>();
                for (var i = 0; i < forAway0; i++)
                {
                    delivered.Add(await away0.ReadLineAsync());
                }

                Assert.Equal(forAway0, delivered.Distinct(StringComparer.Ordinal).Count());
                Assert.All(messages.Where(m => m.Recipient == "away0"), m => Assert.Contains($"sender{m.Text[1]}: {m.Text}", delivered));
            }

            await ServerChecks.AssertHealthyAsync(restarted.OpsPort);
            ServerChecks.AssertMemoryBounded(restarted.Id);
            restarted.Terminate();
            Assert.Equal(0, await restarted.WaitForExitAsync());
            ServerChecks.AssertNoStandardError(restarted.Output);
        }

        Assert.Equal("ok", StoredData.IntegrityCheck(data.Path));
        ServerChecks.AssertLogClean(data.Path);
    }

    /// <summary>Runs one request; false when the server died under it (as planned), true when it was acknowledged.</summary>
    private static async Task<bool> UntilDeadAsync(Func<Task> request)
    {
        try
        {
            await request();
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"\(\d+, '([^'\\]*)'\)")]
    private static partial Regex ListEntry();
}
