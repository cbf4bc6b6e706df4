using System.Text.Json;
using SocketHub.Server.Chat;
using SocketHub.Server.Hosting;
using StackExchange.Redis;

namespace SocketHub.Server.Cluster;

/// <summary>
/// The registry of live nodes: each writes <c>cluster:node:&lt;id&gt;</c> (its entry, as JSON)
/// with a TTL at every heartbeat and adds its id to the set <c>cluster:nodes</c>; a node that
/// stops writing is gone when its key expires, and the next reader removes its id from the set.
/// The last list read is kept for /audit, so a report never waits for Redis.
/// </summary>
public sealed class ClusterNodes(
    IConnectionMultiplexer redis,
    ClusterSettings settings,
    ServerStats stats,
    IServiceProvider services,
    TimeProvider time)
{
    public static readonly RedisKey Members = "cluster:nodes";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private volatile ClusterAudit? _last;

    public static RedisKey Key(string nodeId) => "cluster:node:" + nodeId;

    /// <summary>Writes this node's entry with a fresh TTL, and its id into the set of members.</summary>
    public async Task WriteOwnAsync()
    {
        // The room is the chat module's; resolved late since the registry is made before it.
        var chatUsers = services.GetService<ChatRoom>()?.OnlineUsers().Count ?? 0;
        var entry = new ClusterNode(
            settings.NodeId,
            stats.StartedAt,
            settings.Address,
            stats.Dialects.Sum(d => d.Open),
            chatUsers,
            time.GetUtcNow());
        var database = redis.GetDatabase();
        var write = database.StringSetAsync(Key(settings.NodeId), JsonSerializer.Serialize(entry, Json), settings.NodeTtl);
        var join = database.SetAddAsync(Members, settings.NodeId);
        await Task.WhenAll(write, join);
    }

    /// <summary>Reads every live node's entry (ordered by id), forgets the ids whose entry expired, and keeps the list for /audit.</summary>
    public async Task<IReadOnlyList<ClusterNode>> ReadAsync()
    {
        var database = redis.GetDatabase();
        var ids = await database.SetMembersAsync(Members);
        var values = ids.Length == 0 ? [] : await database.StringGetAsync([.. ids.Select(id => Key(id!))]);
        var nodes = new List<ClusterNode>();
        for (var i = 0; i < ids.Length; i++)
        {
            if (values[i].IsNull)
            {
                // Expired: the node died (or left) without a word.
                _ = database.SetRemoveAsync(Members, ids[i], CommandFlags.FireAndForget);
            }
            else if (JsonSerializer.Deserialize<ClusterNode>(values[i].ToString(), Json) is { } node)
            {
                nodes.Add(node);
            }
        }

        nodes.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        _last = new ClusterAudit("redis", settings.NodeId, true, time.GetUtcNow(), nodes);
        return nodes;
    }

    /// <summary>Takes this node out of the registry at once (a clean stop); a node that dies is dropped by its TTL instead.</summary>
    public async Task RemoveOwnAsync()
    {
        var database = redis.GetDatabase();
        await Task.WhenAll(database.KeyDeleteAsync(Key(settings.NodeId)), database.SetRemoveAsync(Members, settings.NodeId));
    }

    /// <summary>/audit's <c>cluster</c> section: the nodes as last read, and whether Redis answers now.</summary>
    public ClusterAudit Audit() =>
        (_last ?? new ClusterAudit("redis", settings.NodeId, false, null, [])) with { Connected = redis.IsConnected };
}
