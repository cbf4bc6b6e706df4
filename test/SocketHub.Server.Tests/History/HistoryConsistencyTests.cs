using SocketHub.TestSupport;
using Xunit;
using static SocketHub.Server.Tests.History.HistoryWire;

namespace SocketHub.Server.Tests.History;

/// <summary>Many clients at once, and restarts: the history stays exactly consistent.</summary>
public sealed class HistoryConsistencyTests
{
    [Fact]
    public async Task Fifty_clients_appending_while_deleting_leave_exactly_the_expected_history()
    {
        const int seeds = 60, clients = 50, requestsEach = 4;
        await using var server = await TestServer.StartAsync(
            "History:Users:0=alice", "History:RequestBurst=100000", "History:MaxLines=100000");
        for (var i = 0; i < seeds; i++)
        {
            Assert.Equal("Authentication error.", await server.AskAsync($"seed{i}\n"));
        }

        // Every client logs three requests of its own (unknown users are logged too) and deletes
        // line 1 once, which logs the deletion too. Line 1 is always the oldest seed still there,
        // as every new line goes last.
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (var r = 0; r < requestsEach; r++)
            {
                if (r == (c % requestsEach))
                {
                    Assert.Equal(Head() + "\nHistory at 1 deleted by alice.", await server.AskAsync("alice 1 1\n"));
                }
                else
                {
                    Assert.Equal("Authentication error.", await server.AskAsync($"c{c}-r{r}\n"));
                }
            }
        })));

        Assert.Equal(seeds - clients + (clients * requestsEach) + clients, await server.CountAsync());

        var lines = await server.ShowAsync();
        Assert.Equal(seeds - clients + (clients * requestsEach) + clients + 1, lines.Length);
        for (var i = 0; i < seeds - clients; i++)
        {
            Assert.Matches(RequestLine($"seed{clients + i}"), lines[i]);
        }

        var logged = lines[(seeds - clients)..^1];
        Assert.Equal(clients, logged.Count(l => RequestLine("alice").IsMatch(l)));
        Assert.Equal(clients, logged.Count(l => DeletedLine("alice", "1").IsMatch(l)));
        for (var c = 0; c < clients; c++)
        {
            for (var r = 0; r < requestsEach; r++)
            {
                var user = $"c{c}-r{r}";
                Assert.Equal(r == (c % requestsEach) ? 0 : 1, logged.Count(l => RequestLine(user).IsMatch(l)));
            }
        }

        Assert.Matches(RequestLine("alice"), lines[^1]);
    }

    [Fact]
    public async Task Each_listing_ends_with_its_own_request_however_many_arrive_at_once()
    {
        const int readers = 30;
        await using var server = await TestServer.StartAsync(
            [.. Enumerable.Range(0, readers).Select(i => $"History:Users:{i}=reader{i}"), "History:RequestBurst=100000"]);

        var listings = await Task.WhenAll(Enumerable.Range(0, readers).Select(i => Task.Run(async () =>
            (Reader: i, Lines: await server.ShowAsync($"reader{i}")))));

        foreach (var (reader, lines) in listings)
        {
            Assert.Matches(RequestLine($"reader{reader}"), lines[^1]);
            Assert.Equal(lines.Length, lines.Distinct().Count());
        }

        // Listings are snapshots of one growing log: each is a prefix of the longest, which holds
        // every request and the "got history" line of every reader before the last.
        var longest = listings.MaxBy(l => l.Lines.Length).Lines;
        Assert.Equal((2 * readers) - 1, longest.Length);
        foreach (var (_, lines) in listings)
        {
            Assert.Equal(longest[..lines.Length], lines);
        }
    }

    [Fact]
    public async Task History_and_generated_names_survive_a_restart()
    {
        using var data = new TempDirectory();
        string name;
        await using (var first = await TestServer.StartInAsync(data.Path, "History:Users:0=alice"))
        {
            name = NewUserReply().Match(await first.AskAsync("new\n")).Groups[1].Value;
            Assert.Equal(Head() + "All history deleted.", await first.AskAsync("alice 3\n"));
            Assert.Equal("Authentication error.", await first.AskAsync("mallory\n"));
        }

        await using var second = await TestServer.StartInAsync(data.Path, "History:Users:0=alice");
        var lines = await second.ShowAsync(name);
        Assert.Equal(3, lines.Length);
        Assert.Matches($"^delete_all by alice at {Timestamp}$", lines[0]);
        Assert.Matches(RequestLine("mallory"), lines[1]);
        Assert.Matches(RequestLine(name), lines[2]);

        Assert.Equal(Head() + "\nHistory at 2 deleted by alice.", await second.AskAsync("alice 1 2\n"));
        Assert.Equal(5, await second.CountAsync()); // delete_all, name, name got history, alice, alice's deletion

    }
}
