using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Cluster;
using SocketHub.Server.Hosting;
using SocketHub.TestSupport;
using StackExchange.Redis;
using Xunit;

namespace SocketHub.Server.Tests.Cluster;

/// <summary>
/// <c>Limits:ConnectionsPerAddress</c> across nodes sharing one real Redis, as behind a load
/// balancer that spreads one student's connections: the limit holds for the cluster, a place
/// freed on one node can be taken on another, a node that dies gives its places back within the
/// TTL, and with Redis gone each node counts on its own again. Each test connects from its own
/// loopback address, so the tests sharing the Redis do not count each other's connections.
/// </summary>
public sealed class ClusterAddressLimitTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string Refused = "ERRToo many connections from your address%";
    private const string Started = "MSG[(1, 'Server has Started')]%";

    // Long enough that a node slowed by a busy machine does not drop out between its heartbeats.
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task The_limit_holds_across_two_nodes_and_a_place_freed_on_one_is_taken_on_the_other()
    {
        var connection = redis.Require();
        var student = TcpTestClient.Loopback(21);
        var a = NodeId("a");
        await using var first = await TestServer.StartAsync(NodeSettings(connection, a));
        await using var second = await TestServer.StartAsync(NodeSettings(connection, NodeId("b")));

        var one = await SessionAsync(first.BoardPort, student);
        await using var two = await SessionAsync(first.BoardPort, student);
        await ExpectRefusedAsync(second.BoardPort, student);

        // The first session leaves; once node A's count says so, node B admits one.
        one.ShutdownSend();
        await one.ReadToEndAsync();
        await one.DisposeAsync();
        await using var probe = await ConnectionMultiplexer.ConnectAsync(connection);
        await Eventually.HoldsAsync(async () => (long)await probe.GetDatabase().StringGetAsync(RedisAddressConnectionCounter.CountKey(a, student)) == 1,
            Deadline, $"node {a} counting one connection from {student}");
        await using var three = await SessionAsync(second.BoardPort, student);
        await ExpectRefusedAsync(first.BoardPort, student);
        await ExpectRefusedAsync(second.BoardPort, student);

        // Another address has its own places.
        await using var neighbour = await SessionAsync(second.BoardPort, TcpTestClient.Loopback(22));
    }

    [Fact]
    public async Task A_node_that_dies_gives_its_places_back_within_the_ttl()
    {
        var connection = redis.Require();
        var student = TcpTestClient.Loopback(23);
        await using var survivor = await TestServer.StartAsync(NodeSettings(connection, NodeId("live")));
        using var data = new TempDirectory();
        var dead = NodeId("dead");
        await using var doomed = await ServerProcess.StartAsync(data.Path, NodeSettings(connection, dead));

        await using var one = await SessionAsync(doomed.BoardPort, student);
        await using var two = await SessionAsync(doomed.BoardPort, student);
        await ExpectRefusedAsync(survivor.BoardPort, student);

        // SIGKILL: its connections are never released; only the TTL clears its counts.
        doomed.Kill();

        await using var probe = await ConnectionMultiplexer.ConnectAsync(connection);
        await Eventually.HoldsAsync(async () => !await probe.GetDatabase().KeyExistsAsync(RedisAddressConnectionCounter.CountKey(dead, student)),
            Deadline, $"the dead node {dead}'s count of {student} expired");
        await using var three = await SessionAsync(survivor.BoardPort, student);
        await using var four = await SessionAsync(survivor.BoardPort, student);
        await ExpectRefusedAsync(survivor.BoardPort, student);
    }

    [Fact]
    public async Task With_redis_gone_each_node_counts_on_its_own()
    {
        if (RedisServer.Binary() is not { } binary)
        {
            Assert.Skip("redis-server is not installed (apt-get install redis-server; .ci/run installs it).");
            return;
        }

        var student = TcpTestClient.Loopback(24);
        var own = await RedisServer.StartAsync(binary);
        await using var first = await TestServer.StartAsync(NodeSettings(own.ConnectionString + ",connectTimeout=500", NodeId("a")));
        await using var second = await TestServer.StartAsync(NodeSettings(own.ConnectionString + ",connectTimeout=500", NodeId("b")));
        await own.DisposeAsync();
        foreach (var node in new[] { first, second })
        {
            var multiplexer = node.App.Services.GetRequiredService<IConnectionMultiplexer>();
            await Eventually.HoldsAsync(() => Task.FromResult(!multiplexer.IsConnected), Deadline, "the node seeing Redis gone");
        }

        await using var one = await SessionAsync(first.BoardPort, student);
        await using var two = await SessionAsync(first.BoardPort, student);
        await ExpectRefusedAsync(first.BoardPort, student);
        await using var three = await SessionAsync(second.BoardPort, student);
        await using var four = await SessionAsync(second.BoardPort, student);
        await ExpectRefusedAsync(second.BoardPort, student);
    }

    private static string[] NodeSettings(string connection, string nodeId) =>
    [
        "Chat:Backplane=redis",
        $"ConnectionStrings:Redis={connection}",
        $"Cluster:NodeId={nodeId}",
        "Cluster:HeartbeatSeconds=0.25",
        $"Cluster:NodeTtlSeconds={Ttl.TotalSeconds}",
        "Limits:ConnectionsPerAddress=2",
    ];

    private static string NodeId(string name) => $"{name}-{Guid.NewGuid():n}"[..12];

    /// <summary>A board session the node has certainly taken in: it has answered.</summary>
    private static async Task<TcpTestClient> SessionAsync(int port, IPAddress source)
    {
        var client = await TcpTestClient.ConnectAsync(port, source);
        await client.SendAsync("\nGET%");
        Assert.Equal(Started, await client.ReadRepliesAsync(1));
        return client;
    }

    private static async Task ExpectRefusedAsync(int port, IPAddress source)
    {
        await using var client = await TcpTestClient.ConnectAsync(port, source);
        var closed = await client.ReadUntilClosedAsync();
        Assert.True(closed.Text == Refused, $"expected the refusal, got '{closed.Text}' (reset: {closed.Reset})");
    }
}
