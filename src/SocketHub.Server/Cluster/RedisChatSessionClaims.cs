using System.Collections.Concurrent;
using StackExchange.Redis;

namespace SocketHub.Server.Cluster;

/// <summary>
/// The claims shared by every node: <c>chat:session:&lt;account&gt;</c> holds
/// <c>&lt;node&gt;:&lt;claim&gt;</c> of the one session in the room, taken with SET NX (so of
/// logins on several nodes at once exactly one wins), kept alive by the node's heartbeat
/// (<see cref="RefreshAsync"/>) and deleted at logout only while it is still this session's.
/// A node that dies stops refreshing, and its claims expire within <see cref="ClusterSettings.SessionTtl"/>.
/// </summary>
public sealed class RedisChatSessionClaims(IConnectionMultiplexer redis, ClusterSettings settings, ILogger<RedisChatSessionClaims> logger)
    : IChatSessionClaims
{
    // Deletes the claim only if it is still ours: after an expiry another node's login may hold it.
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    // Extends our claim, or takes it again if it lapsed (Redis was away longer than the TTL);
    // 0 when another session has it now.
    private const string RefreshScript = """
        local current = redis.call('GET', KEYS[1])
        if current == ARGV[1] or not current then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return 1
        end
        return 0
        """;

    private readonly ConcurrentDictionary<string, Held> _held = new(StringComparer.Ordinal);
    private long _next;

    public static RedisKey Key(string user) => "chat:session:" + user;

    /// <summary>The claims this node holds now, by account (what the heartbeat refreshes).</summary>
    public int Count => _held.Count;

    public async ValueTask<bool> TryClaimAsync(string user, object holder)
    {
        var held = new Held(holder, $"{settings.NodeId}:{Interlocked.Increment(ref _next)}");

        // A second login on this node loses here, without asking Redis.
        if (!_held.TryAdd(user, held))
        {
            return false;
        }

        // Redis away must not stop the chat, nor make every login wait for a timeout: the login
        // is admitted on this node's word, and the next heartbeat that reaches Redis takes the
        // claim (RefreshScript).
        if (!redis.IsConnected)
        {
            ClusterLog.ClaimUnchecked(logger, user, "not connected");
            return true;
        }

        bool taken;
        try
        {
            taken = await redis.GetDatabase().StringSetAsync(Key(user), held.Value, settings.SessionTtl, When.NotExists);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            ClusterLog.ClaimUnchecked(logger, user, e.GetType().Name);
            return true;
        }

        if (!taken)
        {
            _held.TryRemove(KeyValuePair.Create(user, held));
        }

        return taken;
    }

    public void Release(string user, object holder)
    {
        if (!_held.TryGetValue(user, out var held) || !ReferenceEquals(held.Holder, holder)
            || !_held.TryRemove(KeyValuePair.Create(user, held)))
        {
            return;
        }

        try
        {
            // Fire and forget keeps the order on the connection: a login right after this logout
            // (on this node) reaches Redis after the delete.
            redis.GetDatabase().ScriptEvaluate(ReleaseScript, [Key(user)], [held.Value], CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The claim expires on its own within the TTL.
        }
    }

    /// <summary>Extends every claim this node holds by <see cref="ClusterSettings.SessionTtl"/>; called by the heartbeat.</summary>
    public async Task RefreshAsync()
    {
        var database = redis.GetDatabase();
        var ttl = (long)settings.SessionTtl.TotalMilliseconds;
        var refreshes = _held.Select(async pair =>
        {
            var result = await database.ScriptEvaluateAsync(RefreshScript, [Key(pair.Key)], [pair.Value.Value, ttl]);
            if ((long)result == 0 && _held.TryGetValue(pair.Key, out var now) && now == pair.Value)
            {
                ClusterLog.ClaimLost(logger, pair.Key);
            }
        }).ToList();
        await Task.WhenAll(refreshes);
    }

    private sealed record Held(object Holder, string Value);
}
