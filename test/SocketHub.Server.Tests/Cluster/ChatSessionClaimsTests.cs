using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using SocketHub.Server.Cluster;
using SocketHub.Server.Hosting;
using StackExchange.Redis;
using Xunit;

namespace SocketHub.Server.Tests.Cluster;

/// <summary>One session per account: the in-memory claims of a single node.</summary>
public sealed class LocalChatSessionClaimsTests
{
    [Fact]
    public async Task An_account_has_one_holder_until_that_holder_gives_it_back()
    {
        var claims = new LocalChatSessionClaims();
        object first = new(), second = new();

        Assert.True(await claims.TryClaimAsync("alice", first));
        Assert.False(await claims.TryClaimAsync("alice", second));
        Assert.True(await claims.TryClaimAsync("bob", second));

        claims.Release("alice", second);
        Assert.False(await claims.TryClaimAsync("alice", second));

        claims.Release("alice", first);
        Assert.True(await claims.TryClaimAsync("alice", second));
    }
}

/// <summary>
/// The claims two nodes share through a real Redis (each node with its own connection, as two
/// processes would have): one winner, compare-and-delete, refresh and expiry.
/// </summary>
public sealed class RedisChatSessionClaimsTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncDisposable
{
    private readonly List<ConnectionMultiplexer> _connections = [];

    [Fact]
    public async Task Of_logins_on_two_nodes_at_once_exactly_one_wins_each_account()
    {
        var a = await NodeAsync("a");
        var b = await NodeAsync("b");
        var accounts = Enumerable.Range(0, 50).Select(i => $"race-{Guid.NewGuid():n}-{i}").ToList();

        var results = await Task.WhenAll(accounts.Select(async account =>
        {
            var both = await Task.WhenAll(a.TryClaimAsync(account, new object()).AsTask(), b.TryClaimAsync(account, new object()).AsTask());
            return both.Count(won => won);
        }));

        Assert.All(results, winners => Assert.Equal(1, winners));
        Assert.Equal(50, a.Count + b.Count);
    }

    [Fact]
    public async Task Only_the_holder_deletes_the_claim_and_then_another_node_may_take_it()
    {
        var a = await NodeAsync("a");
        var b = await NodeAsync("b");
        var account = $"alice-{Guid.NewGuid():n}";
        object session = new(), other = new();

        Assert.True(await a.TryClaimAsync(account, session));
        Assert.False(await b.TryClaimAsync(account, other));

        // Neither another session on the same node nor the other node's loser frees it.
        a.Release(account, other);
        b.Release(account, other);
        Assert.StartsWith("a:", (string?)await Database().StringGetAsync(RedisChatSessionClaims.Key(account)), StringComparison.Ordinal);

        a.Release(account, session);
        await Eventually.HoldsAsync(() => b.TryClaimAsync(account, other).AsTask(), TimeSpan.FromSeconds(5), "the released claim is free for the other node");
        Assert.StartsWith("b:", (string?)await Database().StringGetAsync(RedisChatSessionClaims.Key(account)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_claim_not_refreshed_expires_within_its_ttl_and_the_other_node_takes_it()
    {
        var dead = await NodeAsync("dead", sessionTtlSeconds: 1);
        var live = await NodeAsync("live");
        var account = $"bob-{Guid.NewGuid():n}";

        Assert.True(await dead.TryClaimAsync(account, new object()));
        Assert.False(await live.TryClaimAsync(account, new object()));

        // The dead node never refreshes; its claim lapses on its own.
        await Eventually.HoldsAsync(() => live.TryClaimAsync(account, new object()).AsTask(), TimeSpan.FromSeconds(5), "the dead node's claim expires");
    }

    [Fact]
    public async Task A_refresh_extends_the_claim_and_retakes_a_lapsed_one_but_never_anothers()
    {
        var a = await NodeAsync("a", sessionTtlSeconds: 30);
        var account = $"carol-{Guid.NewGuid():n}";
        var key = RedisChatSessionClaims.Key(account);
        Assert.True(await a.TryClaimAsync(account, new object()));

        await Database().KeyExpireAsync(key, TimeSpan.FromSeconds(3));
        await a.RefreshAsync();
        Assert.True(await Database().KeyTimeToLiveAsync(key) > TimeSpan.FromSeconds(20));

        // Lapsed while Redis was out of reach: the refresh takes it again.
        var ours = (string?)await Database().StringGetAsync(key);
        await Database().KeyDeleteAsync(key);
        await a.RefreshAsync();
        Assert.Equal(ours, (string?)await Database().StringGetAsync(key));

        // Taken by another session meanwhile: the refresh leaves it alone.
        await Database().StringSetAsync(key, "b:1");
        await a.RefreshAsync();
        Assert.Equal("b:1", (string?)await Database().StringGetAsync(key));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    private IDatabase Database() => _connections[0].GetDatabase();

    private async Task<RedisChatSessionClaims> NodeAsync(string nodeId, double sessionTtlSeconds = 15)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Chat:Backplane"] = "redis",
            ["ConnectionStrings:Redis"] = redis.Require(),
            ["Cluster:NodeId"] = nodeId,
            ["Cluster:HeartbeatSeconds"] = "0.5",
            ["Cluster:SessionTtlSeconds"] = sessionTtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var problems = new List<string>();
        var settings = ClusterSettings.Load(configuration, new SettingsCheck(problems));
        Assert.Empty(problems);
        var connection = await ConnectionMultiplexer.ConnectAsync(settings.Redis!);
        _connections.Add(connection);
        return new RedisChatSessionClaims(connection, settings, NullLogger<RedisChatSessionClaims>.Instance);
    }
}
