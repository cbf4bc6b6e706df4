using System.Net;
using SocketHub.Server.Hosting;
using StackExchange.Redis;

namespace SocketHub.Server.Cluster;

/// <summary>
/// The per-address connection limit across every node sharing the Redis. Each node keeps its own
/// count per address (<see cref="AddressConnectionLimiter"/>, which still caps the node alone) and
/// publishes it as <c>cluster:conn:&lt;node&gt;:&lt;address&gt;</c>; the set
/// <c>cluster:addr:&lt;address&gt;</c> names the nodes that have counted the address. A new
/// connection is admitted by one script that sums every node's count for the address and, under
/// the limit, adds one to this node's, so two nodes admitting at once cannot both take the last
/// place. Both keys carry <see cref="ClusterSettings.NodeTtl"/>, renewed by the heartbeat
/// (<see cref="RefreshAsync"/>): the counts of a node that dies expire with it.
/// </summary>
/// <remarks>
/// The script finds the nodes in the per-address set rather than in the registry, so a node that
/// has just started counts from its first connection, before the others have read it there.
/// With Redis away a connection is admitted on this node's count alone, at once (no command
/// timeout per connection), and the next heartbeat that reaches Redis publishes the counts again.
/// While Redis answers, the counts it holds are exact (every admission and close reaches it in
/// order on the one connection), so the heartbeat only renews their TTL: writing its own snapshot
/// over them would undo an admission made between the snapshot and the write, and another node
/// would admit one connection too many.
/// </remarks>
public sealed class RedisAddressConnectionCounter : IAddressConnectionCounter
{
    // KEYS[1] the address's set of nodes; ARGV: node id, address, limit, TTL (ms). Every node's
    // count (this one's included) plus the new connection must stay within the limit; a node in
    // the set whose count has expired is taken out of it.
    private const string AcquireScript = """
        local prefix = 'cluster:conn:'
        local total = 0
        for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          local count = redis.call('GET', prefix .. node .. ':' .. ARGV[2])
          if count then total = total + tonumber(count) else redis.call('SREM', KEYS[1], node) end
        end
        if total + 1 > tonumber(ARGV[3]) then return 0 end
        local own = prefix .. ARGV[1] .. ':' .. ARGV[2]
        redis.call('INCR', own)
        redis.call('PEXPIRE', own, ARGV[4])
        redis.call('SADD', KEYS[1], ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return 1
        """;

    // KEYS[1] this node's count, KEYS[2] the address's set; ARGV[1] the node id. At zero the count
    // goes, and the node leaves the set.
    private const string ReleaseScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        if redis.call('DECR', KEYS[1]) <= 0 then
          redis.call('DEL', KEYS[1])
          redis.call('SREM', KEYS[2], ARGV[1])
        end
        return 1
        """;

    // KEYS[1] this node's count, KEYS[2] the address's set; ARGV[1] the node id. Only after Redis
    // was away: a close that never reached it leaves a count no connection holds.
    private const string ForgetScript = """
        redis.call('DEL', KEYS[1])
        redis.call('SREM', KEYS[2], ARGV[1])
        return 1
        """;

    // KEYS[1] this node's count, KEYS[2] the address's set; ARGV: node id, count, TTL (ms). After
    // Redis was away the node's own count is the truth: it corrects what a connection admitted or
    // closed meanwhile did not publish.
    private const string CorrectScript = """
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
        redis.call('SADD', KEYS[2], ARGV[1])
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
        return 1
        """;

    // The same keys and arguments. While Redis answers, the count there is exact and only its TTL
    // is renewed; the node's count is written only where the key has gone (it expired while this
    // node stalled past the TTL, or Redis restarted empty).
    private const string RenewScript = """
        if not redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3], 'NX') then
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
        end
        redis.call('SADD', KEYS[2], ARGV[1])
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
        return 1
        """;

    // The addresses the last refresh published; only the heartbeat touches it.
    private HashSet<IPAddress> _published = [];
    private int _unchecked;

    // Set when an admission or a close may not have reached Redis (it was away, a command failed,
    // the connection dropped): the next heartbeat writes this node's counts over Redis's. Set at
    // the start too, for counts a previous run under the same node id left behind.
    private int _stale = 1;

    private readonly IConnectionMultiplexer _redis;
    private readonly AddressConnectionLimiter _local;
    private readonly ClusterSettings _settings;
    private readonly ILogger<RedisAddressConnectionCounter> _logger;

    public RedisAddressConnectionCounter(
        IConnectionMultiplexer redis,
        AddressConnectionLimiter local,
        ClusterSettings settings,
        ILogger<RedisAddressConnectionCounter> logger)
    {
        _redis = redis;
        _local = local;
        _settings = settings;
        _logger = logger;

        // A dropped connection may have lost a fire-and-forget close.
        redis.ConnectionFailed += (_, _) => MarkStale();
        redis.ConnectionRestored += (_, _) => MarkStale();
    }

    public static RedisKey CountKey(string nodeId, IPAddress address) => $"cluster:conn:{nodeId}:{address}";

    public static RedisKey NodesKey(IPAddress address) => $"cluster:addr:{address}";

    public async ValueTask<bool> TryAcquireAsync(IPAddress address)
    {
        // This node's own count first: past the limit here, nothing to ask.
        if (!_local.TryAcquire(address))
        {
            return false;
        }

        if (!_redis.IsConnected)
        {
            MarkStale();
            Unchecked("not connected");
            return true;
        }

        bool admitted;
        try
        {
            var result = await _redis.GetDatabase().ScriptEvaluateAsync(
                AcquireScript,
                [NodesKey(address)],
                [_settings.NodeId, address.ToString(), _local.Limit, (long)_settings.NodeTtl.TotalMilliseconds]);
            admitted = (long)result == 1;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            MarkStale();
            Unchecked(e.GetType().Name);
            return true;
        }

        Checked();
        if (!admitted)
        {
            _local.Release(address);
        }

        return admitted;
    }

    public void Release(IPAddress address)
    {
        _local.Release(address);
        if (!_redis.IsConnected)
        {
            // The next heartbeat that reaches Redis publishes the count as it is then.
            MarkStale();
            return;
        }

        try
        {
            // Fire and forget keeps the order on the connection: a connection from the address
            // right after this one closes (on this node) is counted after the decrement.
            _redis.GetDatabase().ScriptEvaluate(
                ReleaseScript,
                [CountKey(_settings.NodeId, address), NodesKey(address)],
                [_settings.NodeId],
                CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The heartbeat corrects the count, or it expires within the TTL.
            MarkStale();
        }
    }

    /// <summary>
    /// Renews the TTL of this node's count of every address it has connections from, and the
    /// count itself where it has gone; called by the heartbeat. After an admission or a close may
    /// have missed Redis, writes the node's counts instead, and takes back the counts of addresses
    /// it published last time and has none from now.
    /// </summary>
    public async Task RefreshAsync()
    {
        var correct = Interlocked.Exchange(ref _stale, 0) == 1;
        try
        {
            await PublishAsync(correct ? CorrectScript : RenewScript, forget: correct);
        }
        catch
        {
            if (correct)
            {
                MarkStale();
            }

            throw;
        }
    }

    private async Task PublishAsync(string script, bool forget)
    {
        var database = _redis.GetDatabase();
        var ttl = (long)_settings.NodeTtl.TotalMilliseconds;
        var open = _local.Open.Where(pair => pair.Value > 0).ToList();
        var now = open.Select(pair => pair.Key).ToHashSet();
        var forgotten = forget ? _published.Where(address => !now.Contains(address)) : [];
        var writes = open
            .Select(pair => database.ScriptEvaluateAsync(
                script,
                [CountKey(_settings.NodeId, pair.Key), NodesKey(pair.Key)],
                [_settings.NodeId, pair.Value, ttl]))
            .Concat(forgotten.Select(address => database.ScriptEvaluateAsync(
                ForgetScript,
                [CountKey(_settings.NodeId, address), NodesKey(address)],
                [_settings.NodeId])))
            .ToList();
        await Task.WhenAll(writes);
        _published = now;
    }

    private void MarkStale() => Volatile.Write(ref _stale, 1);

    /// <summary>Logs once that connections are counted on this node alone, until Redis answers again.</summary>
    private void Unchecked(string reason)
    {
        if (Interlocked.Exchange(ref _unchecked, 1) == 0)
        {
            ClusterLog.AddressLimitLocal(_logger, _local.Limit, reason);
        }
    }

    private void Checked()
    {
        if (Interlocked.Exchange(ref _unchecked, 0) == 1)
        {
            ClusterLog.AddressLimitShared(_logger, _local.Limit);
        }
    }
}
