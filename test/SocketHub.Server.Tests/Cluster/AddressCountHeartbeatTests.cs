using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Cluster;
using SocketHub.TestSupport;
using StackExchange.Redis;
using Xunit;

namespace SocketHub.Server.Tests.Cluster;

/// <summary>
/// What the heartbeat does to a node's published connection counts. While Redis answers, the
/// count there is exact and the heartbeat only renews its TTL: writing the node's snapshot over it
/// would undo an admission made between the snapshot and the write, and another node would admit
/// one connection too many. The node's count is written only where the key has gone. The
/// heartbeat here is half an hour, so each beat is the test's own call.
/// </summary>
public sealed class AddressCountHeartbeatTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string Started = "MSG[(1, 'Server has Started')]%";

    /// <summary>A node whose heartbeat (half an hour) never comes by itself.</summary>
    private static Task<TestServer> StartNodeAsync(string connection, string node) => TestServer.StartAsync(
        "Chat:Backplane=redis",
        $"ConnectionStrings:Redis={connection}",
        $"Cluster:NodeId={node}",
        "Cluster:HeartbeatSeconds=1800",
        "Cluster:NodeTtlSeconds=3600",
        "Cluster:SessionTtlSeconds=3600",
        "Limits:ConnectionsPerAddress=4");

    [Fact]
    public async Task A_beat_renews_the_count_in_redis_and_does_not_write_its_own_snapshot_over_it()
    {
        var connection = redis.Require();
        var student = TcpTestClient.Loopback(31);
        var node = $"beat-{Guid.NewGuid():n}"[..12];
        await using var server = await StartNodeAsync(connection, node);
        var counter = server.App.Services.GetRequiredService<RedisAddressConnectionCounter>();
        await using var probe = await ConnectionMultiplexer.ConnectAsync(connection);
        var database = probe.GetDatabase();
        var key = RedisAddressConnectionCounter.CountKey(node, student);

        await using var session = await TcpTestClient.ConnectAsync(server.BoardPort, student);
        await session.SendAsync("\nGET%");
        Assert.Equal(Started, await session.ReadRepliesAsync(1));
        Assert.Equal(1, (long)await database.StringGetAsync(key));

        // The first beat after the start corrects; the ones after it renew.
        await counter.RefreshAsync();

        // Redis holding more than the node's snapshot is what an admission racing the beat
        // looks like: the beat leaves it, with a fresh TTL.
        await database.StringSetAsync(key, 2, TimeSpan.FromSeconds(30));
        await counter.RefreshAsync();
        Assert.Equal(2, (long)await database.StringGetAsync(key));
        Assert.True(await database.KeyTimeToLiveAsync(key) > TimeSpan.FromSeconds(60), "the beat renews the TTL");

        // A count that has gone (expired while the node stalled) is written back.
        await database.KeyDeleteAsync(key);
        await counter.RefreshAsync();
        Assert.Equal(1, (long)await database.StringGetAsync(key));
        Assert.Contains((RedisValue)node, await database.SetMembersAsync(RedisAddressConnectionCounter.NodesKey(student)));
    }

    [Fact]
    public async Task After_redis_drops_the_connection_the_next_beat_writes_the_nodes_own_counts()
    {
        var connection = redis.Require();
        var student = TcpTestClient.Loopback(32);
        var node = $"drop-{Guid.NewGuid():n}"[..12];
        await using var server = await StartNodeAsync(connection, node);
        var counter = server.App.Services.GetRequiredService<RedisAddressConnectionCounter>();
        await using var probe = await ConnectionMultiplexer.ConnectAsync(connection + ",allowAdmin=true");
        var database = probe.GetDatabase();
        var key = RedisAddressConnectionCounter.CountKey(node, student);

        await using var session = await TcpTestClient.ConnectAsync(server.BoardPort, student);
        await session.SendAsync("\nGET%");
        Assert.Equal(Started, await session.ReadRepliesAsync(1));
        await counter.RefreshAsync();

        // A wrong count, as a close lost with the connection leaves; then the connection drops.
        await database.StringSetAsync(key, 3);
        var multiplexer = server.App.Services.GetRequiredService<IConnectionMultiplexer>();
        var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        multiplexer.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                restored.TrySetResult();
            }
        };
        await probe.GetServer(probe.GetEndPoints()[0]).ExecuteAsync("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
        await restored.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await counter.RefreshAsync();
        Assert.Equal(1, (long)await database.StringGetAsync(key));
    }
}
