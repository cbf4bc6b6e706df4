using SocketHub.Server.Tests.Chat;
using SocketHub.Server.Tests.Postgres;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Cluster;

/// <summary>
/// One chat room across nodes that share a PostgreSQL database and a Redis: broadcasts, presence,
/// <c>message</c>, blocks and <c>whoelse</c> reach users on the other node, every node delivers the
/// lines in the one stored order, and lines sent while Redis is away still arrive (from the
/// database). Each test has its own redis-server, so no account's claim outlives its test. Needs
/// redis-server and <c>SOCKETHUB_TEST_POSTGRES</c>; skipped otherwise.
/// </summary>
public sealed class ClusterChatTests
{
    private const string Missed = "Your message could not be delivered to some recipients";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Broadcasts_presence_and_messages_cross_nodes_and_every_node_delivers_one_order()
    {
        await using var redis = await StartRedisAsync();
        var connection = redis.ConnectionString;
        await using var database = await PostgresDatabase.CreateAsync();
        await using var a = await TestServer.StartAsync(NodeSettings(connection, database, "a"));
        await using var b = await TestServer.StartAsync(NodeSettings(connection, database, "b"));

        await using var alice = await TextChatUser.LoginAsync(a, "alice");
        await using var bob = await TextChatUser.LoginAsync(b, "bob");
        await alice.ExpectAsync("bob logged in");

        // Node B may hear of alice's arrival just after bob's own: bob may be told of it.
        await Eventually.HoldsAsync(async () => (await ClusterThroughHaproxyTests.WhoElseAsync(bob)).SequenceEqual(["alice"]),
            Deadline, "node B listing alice, on node A");
        await alice.RoundTripAsync("startprivate bob", "Error. bob is on another node: private chats need both users on one node");

        // Two senders on two nodes at once; a listener on each node.
        await using var carol = await TextChatUser.LoginAsync(b, "carol");
        await using var dave = await TextChatUser.LoginAsync(a, "dave");
        await alice.ExpectAsync("carol logged in", "dave logged in");
        await bob.ExpectAsync("carol logged in", "dave logged in");
        await carol.ExpectAsync("dave logged in");
        const int Each = 40;
        var sending = Task.WhenAll(
            SendAsync(alice, "a", Each),
            SendAsync(carol, "c", Each));
        var reading = new[] { ReadLinesAsync(dave, 2 * Each), ReadLinesAsync(bob, 2 * Each), ReadLinesAsync(alice, Each), ReadLinesAsync(carol, Each) };
        await sending;
        var (onA, onB) = (await reading[0], await reading[1]);

        // Each sender hears the other's lines, not its own.
        Assert.All(await reading[2], line => Assert.StartsWith("carol (broadcast): ", line, StringComparison.Ordinal));
        Assert.All(await reading[3], line => Assert.StartsWith("alice (broadcast): ", line, StringComparison.Ordinal));
        Assert.Equal(onA, onB);
        foreach (var (sender, tag) in new[] { ("alice", "a"), ("carol", "c") })
        {
            Assert.Equal(
                Enumerable.Range(0, Each).Select(i => $"{sender} (broadcast): {tag}{i}"),
                onA.Where(line => line.StartsWith(sender + " ", StringComparison.Ordinal)));
        }

        // A message to a user on the other node, then to one who is offline (stored there).
        await alice.SendAsync("message bob across");
        await bob.ExpectAsync("alice: across");
        await bob.LogoutAsync();
        await alice.ExpectAsync("bob logged out");
        await alice.SendAsync("message bob later");
        await alice.ExpectNothingElseAsync();
        await using var again = await TextChatUser.LoginAsync(b, "bob");
        await again.ExpectAsync("alice: later");
    }

    [Fact]
    public async Task A_block_made_on_one_node_holds_on_the_other()
    {
        await using var redis = await StartRedisAsync();
        var connection = redis.ConnectionString;
        await using var database = await PostgresDatabase.CreateAsync();
        await using var a = await TestServer.StartAsync(NodeSettings(connection, database, "a"));
        await using var b = await TestServer.StartAsync(NodeSettings(connection, database, "b"));

        await using var alice = await TextChatUser.LoginAsync(a, "alice");
        await using var bob = await TextChatUser.LoginAsync(b, "bob");
        await alice.ExpectAsync("bob logged in");
        await bob.RoundTripAsync("block alice", "alice is blocked");

        // Node A hears of the block through Redis: until then alice's broadcast is sent quietly
        // (bob's node drops it, as bob blocks her); from then on she is told someone missed it.
        await Eventually.HoldsAsync(async () => (await RepliesToAsync(alice, "broadcast probe")).Contains(Missed),
            Deadline, "node A knowing that bob, on node B, blocks alice");
        await alice.RoundTripAsync("message bob hi", "Your message could not be delivered as the recipient has blocked you");
        await bob.ExpectNothingElseAsync();
    }

    [Fact]
    public async Task Lines_sent_while_redis_is_away_arrive_from_the_database()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var own = await StartRedisAsync();
        var connection = own.ConnectionString + ",connectTimeout=500";
        await using var a = await TestServer.StartAsync(NodeSettings(connection, database, "a"));
        await using var b = await TestServer.StartAsync(NodeSettings(connection, database, "b"));
        await using var alice = await TextChatUser.LoginAsync(a, "alice");
        await using var bob = await TextChatUser.LoginAsync(b, "bob");
        await alice.ExpectAsync("bob logged in");
        await alice.SendAsync("broadcast before");
        await bob.ExpectAsync("alice (broadcast): before");

        await own.DisposeAsync();
        foreach (var line in new[] { "during 1", "during 2", "during 3" })
        {
            await alice.SendAsync("broadcast " + line);
        }

        await bob.ExpectAsync("alice (broadcast): during 1", "alice (broadcast): during 2", "alice (broadcast): during 3");
        await bob.SendAsync("broadcast back");
        await alice.ExpectAsync("bob (broadcast): back");
    }

    [Fact]
    public async Task The_users_of_a_node_that_dies_leave_whoelse_within_the_ttl()
    {
        await using var redis = await StartRedisAsync();
        var connection = redis.ConnectionString;
        await using var database = await PostgresDatabase.CreateAsync();
        await using var survivor = await TestServer.StartAsync(NodeSettings(connection, database, "live"));
        using var data = new TempDirectory();
        await using var doomed = await ServerProcess.StartAsync(data.Path, NodeSettings(connection, database, "dead"));

        await using var alice = await TextChatUser.LoginAsync(survivor, "alice");
        await using var dora = await TextChatUser.LoginAsync(await TcpTestClient.ConnectAsync(doomed.PortOf("chat")), "dora");
        await alice.ExpectAsync("dora logged in");
        await alice.RoundTripAsync("whoelse", "dora", "End of list.");

        doomed.Kill();

        // The node's entry and its set of users expire; the next heartbeat tells the room.
        await alice.ExpectAsync("dora logged out");
        await alice.RoundTripAsync("whoelse", "End of list.");
        await alice.RoundTripAsync("whoelsesince 600", "dora", "End of list.");
    }

    /// <summary>The lines a command is answered with: a <c>help</c> sent after it marks their end (a quiet success answers none).</summary>
    private static async Task<List<string>> RepliesToAsync(TextChatUser user, string command)
    {
        await user.SendAsync(command);
        await user.SendAsync("help");
        var replies = new List<string>();
        for (var line = await user.ReadLineAsync(); line != "Commands:"; line = await user.ReadLineAsync())
        {
            replies.Add(line);
        }

        await user.Client.ReadUntilAsync("logout                   leave (also: disconnect)\n");
        return replies;
    }

    private static async Task<RedisServer> StartRedisAsync()
    {
        var binary = RedisServer.Binary();
        Assert.SkipWhen(binary is null, "redis-server is not installed (apt-get install redis-server; .ci/run installs it).");
        return await RedisServer.StartAsync(binary!);
    }

    private static async Task SendAsync(TextChatUser user, string tag, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await user.SendAsync($"broadcast {tag}{i}");
        }
    }

    private static async Task<List<string>> ReadLinesAsync(TextChatUser user, int count)
    {
        var lines = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            lines.Add(await user.ReadLineAsync());
        }

        return lines;
    }

    // A small pool per node: the tests share one PostgreSQL server and its 100 connections.
    private static string[] NodeSettings(string redis, PostgresDatabase database, string name) => ChatTestSettings.With(
    [
        "Storage:Provider=Postgres",
        $"ConnectionStrings:SocketHub={database.ConnectionString};Maximum Pool Size=6",
        "Chat:Backplane=redis",
        $"ConnectionStrings:Redis={redis}",
        $"Cluster:NodeId={name}-{Guid.NewGuid():n}"[..30],
        "Cluster:HeartbeatSeconds=0.25",
        "Cluster:NodeTtlSeconds=3",
        "Cluster:SessionTtlSeconds=3",
        "Chat:LineBurst=200",
    ]);
}
