using System.Text.Json;
using SocketHub.Server.Tests.Chat;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Cluster;

/// <summary>
/// Several SocketHub nodes sharing one real Redis, as behind a load balancer: each lists the
/// others in /audit, an account is in one room in the whole cluster, and a node that dies
/// without a word drops out, with its accounts, within the TTL.
/// </summary>
public sealed class ClusterTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string AlreadyLoggedIn = "This account is already logged in.";

    // Short enough that an expiry is awaited in seconds, and three heartbeats fit in one TTL.
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ExpiryDeadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Without_a_backplane_the_audit_has_no_cluster_section()
    {
        await using var server = await TestServer.StartAsync();
        using var audit = await AuditAsync(server.OpsPort);
        Assert.False(audit.RootElement.TryGetProperty("cluster", out _));
    }

    [Fact]
    public async Task A_redis_that_is_down_does_not_stop_the_node_or_its_chat()
    {
        // A port bound and not listening: every connection to it is refused, and nobody else can take it meanwhile.
        using var nothing = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        nothing.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var down = $"127.0.0.1:{((System.Net.IPEndPoint)nothing.LocalEndPoint!).Port},connectTimeout=500";

        await using var server = await TestServer.StartAsync(ChatTestSettings.With("Chat:Backplane=redis", $"ConnectionStrings:Redis={down}"));
        await using var alice = await TextChatUser.LoginAsync(server, "alice");
        await alice.ExpectNothingElseAsync();

        using var audit = await AuditAsync(server.OpsPort);
        var cluster = audit.RootElement.GetProperty("cluster");
        Assert.False(cluster.GetProperty("connected").GetBoolean());
        Assert.Equal(0, cluster.GetProperty("nodes").GetArrayLength());
    }

    [Fact]
    public async Task Two_nodes_list_each_other_in_their_audit()
    {
        var (a, b) = (NodeId("a"), NodeId("b"));
        await using var first = await TestServer.StartAsync(NodeSettings(a));
        await using var second = await TestServer.StartAsync(NodeSettings(b));
        await using var alice = await TextChatUser.LoginAsync(second, $"alice-{b}");

        foreach (var server in new[] { first, second })
        {
            await Eventually.HoldsAsync(async () => (await NodesAsync(server.OpsPort)).Select(n => n.Id).Intersect([a, b]).Count() == 2,
                ExpiryDeadline, $"node {a} and node {b} in the audit of port {server.OpsPort}");
        }

        // Each entry is the node's own heartbeat: its start, its address and its figures.
        await Eventually.HoldsAsync(async () => (await NodesAsync(first.OpsPort)).Single(n => n.Id == b).ChatUsers == 1,
            ExpiryDeadline, $"node {b}'s entry counts its one chat user");
        var entry = (await NodesAsync(first.OpsPort)).Single(n => n.Id == b);
        Assert.Equal("10.9.8.7", entry.Address);
        Assert.True(entry.Connections >= 1);
        Assert.True(entry.HeartbeatAt >= entry.StartedAt);
        using var audit = await AuditAsync(first.OpsPort);
        var cluster = audit.RootElement.GetProperty("cluster");
        Assert.Equal("redis", cluster.GetProperty("backplane").GetString());
        Assert.Equal(a, cluster.GetProperty("nodeId").GetString());
        Assert.True(cluster.GetProperty("connected").GetBoolean());
    }

    [Fact]
    public async Task The_same_accounts_logging_in_on_two_nodes_at_once_get_one_welcome_each_and_the_other_node_admits_them_after_logout()
    {
        await using var first = await TestServer.StartAsync(NodeSettings(NodeId("a")));
        await using var second = await TestServer.StartAsync(NodeSettings(NodeId("b")));
        var accounts = Enumerable.Range(0, 50).Select(i => $"racer{i}-{Guid.NewGuid():n}"[..20]).ToList();

        var pairs = new List<(string Account, TcpTestClient OnFirst, TcpTestClient OnSecond)>();
        foreach (var account in accounts)
        {
            pairs.Add((account, await AtPasswordPromptAsync(first, account), await AtPasswordPromptAsync(second, account)));
        }

        await Task.WhenAll(pairs.SelectMany(p => new[] { p.OnFirst.SendAsync("secret\n"), p.OnSecond.SendAsync("secret\n") }));
        var answers = await Task.WhenAll(pairs.Select(async p => (First: await p.OnFirst.ReadLineAsync(), Second: await p.OnSecond.ReadLineAsync())));

        foreach (var (answer, (account, onFirst, onSecond)) in answers.Zip(pairs))
        {
            Assert.Equal(1, new[] { answer.First, answer.Second }.Count(a => a == ChatTestSettings.Welcome));
            Assert.Contains(AlreadyLoggedIn, new[] { answer.First, answer.Second });

            // The winner leaves (after the arrivals of the others on its node); the account is free on the other node.
            var firstWon = answer.First == ChatTestSettings.Welcome;
            var winner = firstWon ? onFirst : onSecond;
            await winner.SendAsync("logout\n");
            Assert.EndsWith("Goodbye.\n", await winner.ReadToEndAsync(), StringComparison.Ordinal);
            var other = firstWon ? second : first;
            await LoginEventuallyAsync(other, account);
        }

        foreach (var (_, onFirst, onSecond) in pairs)
        {
            await onFirst.DisposeAsync();
            await onSecond.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_node_that_dies_frees_its_accounts_and_leaves_the_registry_within_the_ttl()
    {
        var (live, dead) = (NodeId("live"), NodeId("dead"));
        await using var survivor = await TestServer.StartAsync(NodeSettings(live));
        using var data = new TempDirectory();
        await using var doomed = await ServerProcess.StartAsync(data.Path, NodeSettings(dead));
        var account = $"dora-{Guid.NewGuid():n}"[..20];

        await using var dora = await TextChatUser.LoginAsync(await TcpTestClient.ConnectAsync(doomed.PortOf("chat")), account);
        await using (var second = await AtPasswordPromptAsync(survivor, account))
        {
            await second.SendAsync("secret\n");
            Assert.Equal(AlreadyLoggedIn + "\n", await second.ReadToEndAsync());
        }

        await Eventually.HoldsAsync(async () => (await NodesAsync(survivor.OpsPort)).Any(n => n.Id == dead),
            ExpiryDeadline, $"node {dead} in the registry");

        // SIGKILL: no logout, no goodbye to the registry; only the TTLs clear up after it.
        doomed.Kill();

        await Eventually.HoldsAsync(async () => (await NodesAsync(survivor.OpsPort)).All(n => n.Id != dead),
            ExpiryDeadline, $"the dead node {dead} gone from the registry");
        await LoginEventuallyAsync(survivor, account);
    }

    private string[] NodeSettings(string nodeId) => ChatTestSettings.With(
        "Chat:Backplane=redis",
        $"ConnectionStrings:Redis={redis.Require()}",
        $"Cluster:NodeId={nodeId}",
        "Cluster:Address=10.9.8.7",
        "Cluster:HeartbeatSeconds=0.25",
        $"Cluster:NodeTtlSeconds={Ttl.TotalSeconds}",
        $"Cluster:SessionTtlSeconds={Ttl.TotalSeconds}",
        "Chat:LoginAttemptsPerMinute=0",
        "Chat:RegistrationsPerHour=0");

    private static string NodeId(string name) => $"{name}-{Guid.NewGuid():n}"[..12];

    private static async Task<TcpTestClient> AtPasswordPromptAsync(TestServer server, string account)
    {
        var client = await TcpTestClient.ConnectAsync(server.PortOf("chat"));
        Assert.Equal("Username: ", await client.ReadUntilAsync(": "));
        await client.SendAsync(account + "\n");
        Assert.Equal("Password: ", await client.ReadUntilAsync(": "));
        return client;
    }

    /// <summary>
    /// Logs in (and out) on <paramref name="server"/> once the claim held elsewhere is gone: a
    /// logout's delete reaches Redis a moment after the client sees the goodbye, and a dead
    /// node's claim only when it expires.
    /// </summary>
    private static async Task LoginEventuallyAsync(TestServer server, string account) =>
        await Eventually.HoldsAsync(async () =>
        {
            await using var client = await AtPasswordPromptAsync(server, account);
            await client.SendAsync("secret\n");
            var answer = await client.ReadLineAsync();
            if (answer == AlreadyLoggedIn)
            {
                return false;
            }

            Assert.Equal(ChatTestSettings.Welcome, answer);
            await new TextChatUser(client, account).LogoutAsync();
            return true;
        }, ExpiryDeadline, $"{account} admitted on port {server.PortOf("chat")}");

    private static async Task<JsonDocument> AuditAsync(int opsPort)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{opsPort}") };
        return JsonDocument.Parse(await http.GetStringAsync("/audit"));
    }

    private static async Task<IReadOnlyList<NodeEntry>> NodesAsync(int opsPort)
    {
        using var audit = await AuditAsync(opsPort);
        return audit.RootElement.GetProperty("cluster").GetProperty("nodes").Deserialize<List<NodeEntry>>(JsonSerializerOptions.Web)!;
    }

    private sealed record NodeEntry(string Id, DateTimeOffset StartedAt, string Address, long Connections, int ChatUsers, DateTimeOffset HeartbeatAt);
}
