using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Hosting;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.FaultTests;

/// <summary>
/// Clients that vanish: a reset (a crashed or killed client) before, during and right after a
/// request, on every dialect. None of it is a server error, every connection slot is given back
/// (the per-address allowance is not leaked), and the address is served normally afterwards.
/// </summary>
[Trait("Category", "Fault")]
public sealed class AbruptCloseTests
{
    private const int PerKind = 20;

    /// <summary>Per dialect: a request left unfinished, and whole requests whose replies are still being written when the reset comes.</summary>
    private static readonly (string Dialect, string Partial, string Whole)[] Requests =
    [
        ("board", "POSTunfinis", string.Concat(Enumerable.Repeat("GET%", 50))),
        ("history", "alice", "alice 2\n"),
        ("crypto", "#en#unfinis", string.Concat(Enumerable.Repeat("#en#" + new string('x', 1000) + "#\n", 10))),
        ("chat", "someb", "someone\nsecret\nwhoelse\nhelp\nhelp\nhelp\n"),
        ("chat-json", "{\"command\": \"log", "{\"command\": \"login\", \"data\": [\"program\", \"secret\"]}\n{\"command\": \"help\"}\n{\"command\": \"help\"}\n"),
    ];

    [Fact]
    public async Task Resets_before_during_and_after_requests_leak_nothing_and_log_no_error()
    {
        var before = ServerChecks.WorkingSet();
        await using var server = await TestServer.StartAsync(
            "Limits:ConnectionsPerAddress=10", "Board:PostBurst=100000", "History:Users:0=alice", "History:RequestBurst=100000", "History:RequestsPerSecond=100000",
            "Chat:PasswordIterations=1000", "Chat:LinesPerSecond=100000", "Chat:LineBurst=100000", "Serilog:MinimumLevel:Default=Information");
        var stats = server.App.Services.GetRequiredService<ServerStats>();
        var board = await TcpTestClient.ConnectAsync(server.BoardPort);
        for (var i = 0; i < 100; i++)
        {
            await board.SendAsync($"POSTfiller {i} {new string('f', 200)}%\n"); // a line end keeps the session
            Assert.Equal("MSGPosting Message!%", await board.ReadUntilAsync("%"));
        }

        await board.DisposeAsync();
        var made = 1;

        // Ten at a time (the allowance is ten), from one address: a leaked slot would soon refuse them all.
        foreach (var (dialect, partial, whole) in Requests)
        {
            for (var round = 0; round < PerKind; round++)
            {
                await Task.WhenAll(Enumerable.Range(0, 10).Select(async kind =>
                {
                    var client = await TcpTestClient.ConnectAsync(server.PortOf(dialect));
                    switch (kind % 3)
                    {
                        case 0:
                            break; // reset at once, before a byte
                        case 1:
                            await client.TrySendAsync(Encoding.UTF8.GetBytes(partial));
                            break;
                        default:
                            await client.TrySendAsync(Encoding.UTF8.GetBytes(whole));
                            break;
                    }

                    client.Reset();
                }));

                made += 10;
                await WhenAllClosedAsync(stats, made);
            }
        }

        Assert.Equal(0, stats.Dialects.Sum(d => d.Rejected));

        // The full allowance is there again: ten connections at once, each answered.
        var ten = new List<TcpTestClient>();
        for (var i = 0; i < 10; i++)
        {
            var client = await TcpTestClient.ConnectAsync(server.BoardPort);
            ten.Add(client);
            await client.SendAsync("GET99999999%\n"); // a session: all ten are held at once
            Assert.Equal("MSG[]%", await client.ReadUntilAsync("%"));
        }

        foreach (var client in ten)
        {
            await client.DisposeAsync();
        }

        await ServerChecks.AssertHealthyAsync(server.OpsPort);
        ServerChecks.AssertMemoryBounded(before);
        ServerChecks.AssertLogClean(server.DataDirectory);
    }

    /// <summary>
    /// The server takes a connection from the kernel's accept queue, and notices its reset, on its
    /// own schedule: wait (bounded) until it has taken in all <paramref name="made"/> and let go of each.
    /// </summary>
    private static async Task WhenAllClosedAsync(ServerStats stats, int made)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (stats.Dialects.Sum(d => d.Total + d.Rejected) < made || stats.Dialects.Sum(d => d.Open) > 0)
        {
            Assert.True(waited.Elapsed < RawClient.Deadline, $"After {RawClient.Deadline} the server still counts {stats.Dialects.Sum(d => d.Open)} open connections, {stats.Dialects.Sum(d => d.Total)} taken in and {stats.Dialects.Sum(d => d.Rejected)} refused.");
            await Task.Delay(TimeSpan.FromMilliseconds(10), TestContext.Current.CancellationToken);
        }
    }
}
