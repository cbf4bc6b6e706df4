using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using SocketHub.Server.Data;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Hosting;

/// <summary>
/// "MSGPosting Message!%" is a promise that the post is on disk. Kill the server (SIGKILL, no
/// chance to flush or drain) in the middle of a burst of posts, restart it on the same data
/// folder, and every acknowledged post must still be there.
/// </summary>
public sealed partial class CrashSafetyTests(ITestOutputHelper output)
{
    private const string Posted = "MSGPosting Message!%";

    private static readonly string[] Settings = ["Board:PostBurst=100000", "Board:MaxListed=100000"];

    private static readonly TimeSpan PostingDeadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Every_acknowledged_post_survives_a_kill_in_the_middle_of_posting()
    {
        const int clients = 8;
        const int acksBeforeKill = 400;

        var data = TestServer.NewDataDirectory();
        var acknowledged = new ConcurrentBag<string>();
        var ackedPerClient = new int[clients];
        var totalAcks = 0;
        var enoughAcks = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await using (var server = await ServerProcess.StartAsync(data, Settings))
            {
                var posters = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
                {
                    await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
                    for (var i = 0; ; i++)
                    {
                        var text = $"c{c}-{i}";
                        string reply;
                        try
                        {
                            await client.SendAsync($"POST{text}%\n"); // a line end keeps the session
                            reply = await client.ReadRepliesAsync(1);
                        }
                        catch (Exception e) when (e is IOException or SocketException)
                        {
                            return; // the server died under us, as planned
                        }

                        Assert.Equal(Posted, reply);
                        acknowledged.Add(text);
                        ackedPerClient[c] = i + 1;
                        if (Interlocked.Increment(ref totalAcks) >= acksBeforeKill)
                        {
                            enoughAcks.TrySetResult();
                        }
                    }
                })).ToArray();

                // Posters only end early by failing; surface that instead of waiting for acks that never come.
                var allPosters = Task.WhenAll(posters);
                await Task.WhenAny(enoughAcks.Task, allPosters).WaitAsync(PostingDeadline, TestContext.Current.CancellationToken);
                if (!enoughAcks.Task.IsCompleted)
                {
                    await allPosters;
                    Assert.Fail($"Every poster stopped after {totalAcks} acknowledgements, before the kill. Output:\n{server.Output}");
                }

                server.Kill();
                var exitCode = await server.WaitForExitAsync();
                await allPosters.WaitAsync(PostingDeadline, TestContext.Current.CancellationToken);
                output.WriteLine($"Killed after {Volatile.Read(ref totalAcks)} acknowledged posts (exit code {exitCode}).");
                WriteErrors("first run", server.Output);
            }

            var acked = acknowledged.ToHashSet(StringComparer.Ordinal);
            Assert.Equal(acknowledged.Count, acked.Count);

            List<string> stored;
            await using (var restarted = await ServerProcess.StartAsync(data, Settings))
            {
                await using (var reader = await TcpTestClient.ConnectAsync(restarted.BoardPort))
                {
                    await reader.SendAsync("GET%");
                    stored = ParseList(await reader.ReadRepliesAsync(1));
                }

                restarted.Terminate();
                var exitCode = await restarted.WaitForExitAsync();
                output.WriteLine($"Restarted server listed {stored.Count} messages; exited with {exitCode} on SIGTERM.");
                WriteErrors("restart", restarted.Output);
            }

            var listed = stored.ToHashSet(StringComparer.Ordinal);
            var missing = acked.Where(t => !listed.Contains(t)).Order(StringComparer.Ordinal).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {acked.Count} acknowledged posts are missing after the kill: {string.Join(", ", missing.Take(50))}");

            // Each client had at most one post in flight, so what is stored of client c is exactly
            // its acknowledged posts plus perhaps the one it was waiting on, each once.
            var posts = stored.Where(t => PostText().IsMatch(t)).ToList();
            Assert.Equal(posts.Count, posts.Distinct(StringComparer.Ordinal).Count());
            for (var c = 0; c < clients; c++)
            {
                var prefix = $"c{c}-";
                var indexes = posts
                    .Where(t => t.StartsWith(prefix, StringComparison.Ordinal))
                    .Select(t => int.Parse(t[prefix.Length..], CultureInfo.InvariantCulture))
                    .Order()
                    .ToList();
                var expected = Enumerable.Range(0, ackedPerClient[c]).ToList();
                if (indexes.Count == ackedPerClient[c] + 1)
                {
                    expected.Add(ackedPerClient[c]);
                }

                Assert.Equal(expected, indexes);
            }

            Assert.Equal("ok", IntegrityCheck(Path.Combine(data, DatabaseSetup.FileName)));
        }
        finally
        {
            TestServer.TryDelete(data);
        }
    }

    /// <summary>The texts of a board list reply, <c>MSG[(1, 'a'), (2, 'b')]%</c>, in order.</summary>
    private static List<string> ParseList(string reply)
    {
        Assert.StartsWith("MSG[", reply, StringComparison.Ordinal);
        Assert.EndsWith("]%", reply, StringComparison.Ordinal);
        return ListEntry().Matches(reply).Select(m => m.Groups[1].Value).ToList();
    }

    private static string IntegrityCheck(string databaseFile)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databaseFile,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "(null)";
    }

    [GeneratedRegex(@"\(\d+, '([^'\\]*)'\)")]
    private static partial Regex ListEntry();

    [GeneratedRegex(@"^c\d+-\d+$")]
    private static partial Regex PostText();

    private void WriteErrors(string run, string serverOutput)
    {
        foreach (var line in serverOutput.Split('\n').Where(l => l.Contains(" ERR]", StringComparison.Ordinal)
                     || l.Contains(" WRN]", StringComparison.Ordinal)
                     || l.Contains(" FTL]", StringComparison.Ordinal)
                     || l.StartsWith("stderr|", StringComparison.Ordinal)))
        {
            output.WriteLine($"[{run}] {line}");
        }
    }
}
