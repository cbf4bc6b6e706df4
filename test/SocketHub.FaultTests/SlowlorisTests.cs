using System.Net;
using System.Text;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.FaultTests;

/// <summary>
/// Slowloris: hundreds of connections, on every dialect (on its plain port, and inside TLS on its
/// TLS port), each sending one byte a second and never a whole frame. Normal clients keep getting correct answers meanwhile, and every slow connection
/// is closed by its dialect's time limit (counted per complete frame, so the dribble does not
/// keep it alive) with the dialect's reason.
/// </summary>
[Trait("Category", "Fault")]
public sealed class SlowlorisTests(ITestOutputHelper output)
{
    private const int PerDialect = 60;
    private const int SourceAddresses = 6;
    private static readonly TimeSpan Pace = TimeSpan.FromSeconds(1);

    /// <summary>Per dialect: the bytes dribbled (no terminator among them), what the server says first, and its reason on the time limit.</summary>
    private static readonly (string Dialect, string Dribble, string Greeting, string Reason)[] Dialects =
    [
        ("board", "\nPOSTslowly", "", "ERRTimeout!%"), // a line end first: a session, held to the idle timeout
        ("history", "alice 2", "", "Request timed out."),
        ("crypto", "#en#slowly", "", "#er#idle timeout#\n"),
        ("chat", "slowpoke", "Username: ", "Error. Login timed out\n"),
        ("chat-json", "{\"command\": \"login\"", "", "{\"status\": \"unsuccessful\", \"data\": {\"message\": \"Error. Login timed out\"}}\n"),
        // A header's digit, then its padding a byte at a time (the last byte repeats).
        ("secure-chat", "5 ", "", "22".PadRight(64) + "Error. Login timed out"),
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Hundreds_of_one_byte_a_second_connections_are_timed_out_while_normal_clients_are_served(bool tls)
    {
        var before = ServerChecks.WorkingSet();
        await using var server = await TestServer.StartAsync(
            "History:Users:0=alice",
            "Board:IdleTimeoutSeconds=3",
            "History:RequestTimeoutSeconds=3",
            "History:RequestsPerSecond=1000",
            "History:RequestBurst=1000",
            "Board:PostsPerSecond=1000",
            "Board:PostBurst=1000",
            "Crypto:IdleTimeoutSeconds=3",
            "Chat:LoginTimeoutSeconds=3",
            "Chat:PasswordIterations=1000",
            "Chat:LinesPerSecond=1000",
            "Chat:LineBurst=1000",
            "Serilog:MinimumLevel:Default=Information");

        // 300 connections from 127.0.0.2 to 127.0.0.7, 50 per address: under the per-address limit (200).
        // With TLS each one completes its handshake first: the dribble is inside TLS, one byte a record.
        var slow = new List<(string Dialect, string Reason, RawClient Client)>();
        var n = 0;
        foreach (var (dialect, _, greeting, reason) in Dialects)
        {
            for (var i = 0; i < PerDialect; i++, n++)
            {
                var source = TcpTestClient.Loopback(2 + (n % SourceAddresses));
                RawClient client = tls
                    ? await server.ConnectTlsAsync(dialect, source)
                    : await TcpTestClient.ConnectAsync(server.PortOf(dialect), source);
                slow.Add((dialect, greeting + reason, client));
            }
        }

        try
        {
            var dribbles = slow.Select(s => s.Client.DribbleUntilClosedAsync(
                Encoding.ASCII.GetBytes(Dialects.Single(d => d.Dialect == s.Dialect).Dribble), Pace)).ToArray();
            var allClosed = Task.WhenAll(dribbles);

            // Normal clients on every dialect, round after round, until every slow one is closed.
            var servedMeanwhile = await ServeNormallyUntilAsync(server, allClosed);
            var outcomes = await allClosed;
            output.WriteLine($"{slow.Count} slow {(tls ? "TLS" : "plain")} connections closed; {servedMeanwhile} rounds of normal requests on each dialect answered while they were open.");

            // Served meanwhile: a round that only came through once the slow connections were gone would not count.
            Assert.True(servedMeanwhile >= 1, "No round of normal requests was answered while the slow connections were open.");
            for (var i = 0; i < slow.Count; i++)
            {
                Assert.True(outcomes[i].Text == slow[i].Reason, $"{slow[i].Dialect} slow connection #{i}: expected '{slow[i].Reason}', got '{outcomes[i].Text}' (reset: {outcomes[i].Reset})");
            }
        }
        finally
        {
            foreach (var (_, _, client) in slow)
            {
                await client.DisposeAsync();
            }
        }

        await ServerChecks.AssertHealthyAsync(server.OpsPort);
        ServerChecks.AssertMemoryBounded(before);
        ServerChecks.AssertLogClean(server.DataDirectory);
    }

    [Fact]
    public async Task Logged_in_chat_users_who_dribble_bytes_are_logged_out_for_inactivity()
    {
        const int perDialect = 40;
        const string inactive = "You have been logged out due to inactivity.";
        var before = ServerChecks.WorkingSet();
        await using var server = await TestServer.StartAsync(
            "Chat:TimeoutSeconds=3", "Chat:PasswordIterations=1000", "Chat:LinesPerSecond=1000", "Chat:LineBurst=1000", "Serilog:MinimumLevel:Default=Information");

        var users = new List<(TcpTestClient Client, string LastLine)>();
        try
        {
            for (var i = 0; i < perDialect; i++)
            {
                var text = await TcpTestClient.ConnectAsync(server.PortOf("chat"), TcpTestClient.Loopback(2 + (i % SourceAddresses)));
                users.Add((text, inactive));
                await text.SendAsync($"text{i}\nsecret\n");
                await text.ReadUntilAsync("Welcome to the greatest messaging application ever!\n");
                var json = await TcpTestClient.ConnectAsync(server.PortOf("chat-json"), TcpTestClient.Loopback(2 + (i % SourceAddresses)));
                users.Add((json, $"{{\"status\": \"serverMessage\", \"data\": {{\"message\": \"{inactive}\"}}}}"));
                await json.SendAsync($"{{\"command\": \"login\", \"data\": [\"json{i}\", \"secret\"]}}\n");
                await json.ReadUntilAsync("\"unreadMessages\": []}}\n");
            }

            // Half a command each, then a byte a second: never a whole line, so never a sign of life.
            var outcomes = await Task.WhenAll(users.Select((u, i) => u.Client.DribbleUntilClosedAsync(
                Encoding.ASCII.GetBytes(i % 2 == 0 ? "broadcast still here" : "{\"command\": \"whoelse"), Pace)));

            for (var i = 0; i < users.Count; i++)
            {
                // Presence lines of the others may come first; the last line is the logout.
                var lines = outcomes[i].Text.Split('\n');
                Assert.True(lines.Length >= 2 && lines[^2] == users[i].LastLine && lines[^1].Length == 0,
                    $"User #{i} got '{outcomes[i].Text}' (reset: {outcomes[i].Reset})");
            }
        }
        finally
        {
            foreach (var (client, _) in users)
            {
                await client.DisposeAsync();
            }
        }

        await ServerChecks.AssertHealthyAsync(server.OpsPort);
        ServerChecks.AssertMemoryBounded(before);
        ServerChecks.AssertLogClean(server.DataDirectory);
    }

    /// <summary>
    /// Serves normal clients, a round on every dialect at a time, until <paramref name="done"/>
    /// completes; returns how many rounds were fully answered before it did.
    /// </summary>
    private static async Task<int> ServeNormallyUntilAsync(TestServer server, Task done)
    {
        // Board and crypto connections are new each round: with the 3 s idle limits of this test a
        // round slowed down by a busy machine must not time out the normal clients too.
        await using var chat = await TcpTestClient.ConnectAsync(server.PortOf("chat"));
        await using var json = await TcpTestClient.ConnectAsync(server.PortOf("chat-json"));
        Assert.Equal("Username: ", await chat.ReadUntilAsync(": "));
        await chat.SendAsync("normal\nsecret\n");
        Assert.Equal("Password: Welcome to the greatest messaging application ever!", await chat.ReadLineAsync());
        await json.SendAsync("{\"command\": \"login\", \"data\": [\"program\", \"secret\"]}\n");
        Assert.Equal("""{"status": "success", "data": {"command": "login", "message": "Logged in as program", "unreadMessages": []}}""", await json.ReadLineAsync());
        Assert.Equal("program logged in", await chat.ReadLineAsync());

        var rounds = 0;
        var answeredBeforeDone = 0;
        do
        {
            rounds++;
            await using (var board = await TcpTestClient.ConnectAsync(server.BoardPort))
            {
                await board.SendAsync($"POSTround {rounds}%GET99999999%");
                Assert.Equal("MSGPosting Message!%MSG[]%", await board.ReadUntilAsync("]%"));
            }

            await using (var history = await TcpTestClient.ConnectAsync(server.PortOf("history")))
            {
                await history.SendAsync("alice\n");
                Assert.StartsWith("To download this server code", (await history.ReadUntilClosedAsync()).Text, StringComparison.Ordinal);
            }

            await using (var crypto = await TcpTestClient.ConnectAsync(server.PortOf("crypto")))
            {
                await crypto.SendAsync("#gk##\n");
                Assert.Matches(@"^#gk#[A-Za-z0-9_-]{43}=#\n$", await crypto.ReadUntilAsync("\n"));
            }

            await chat.SendAsync($"message program round {rounds}\n");
            Assert.Equal($$$"""{"status": "message", "data": {"source": "normal", "message": "round {{{rounds}}}"}}""", await json.ReadLineAsync());
            Assert.Equal("""{"status": "success", "data": {"command": "message", "message": "Your message to normal has been sent."}}""", await RoundTripJsonAsync(json, $"{{\"command\": \"message\", \"data\": [\"normal\", \"back {rounds}\"]}}"));
            Assert.Equal($"program: back {rounds}", await chat.ReadLineAsync());
            if (!done.IsCompleted)
            {
                answeredBeforeDone++;
            }
        }
        while (!done.IsCompleted);

        return answeredBeforeDone;
    }

    private static async Task<string> RoundTripJsonAsync(TcpTestClient json, string request)
    {
        await json.SendAsync(request + "\n");
        return await json.ReadLineAsync();
    }
}
