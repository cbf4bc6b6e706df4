namespace SocketHub.Server.Cluster;

/// <summary>A node's entry in the registry, as its last heartbeat wrote it (and /audit's <c>cluster</c> section lists it).</summary>
public sealed record ClusterNode(
    string Id,
    DateTimeOffset StartedAt,
    string Address,
    long Connections,
    int ChatUsers,
    DateTimeOffset HeartbeatAt);

/// <summary>/audit's <c>cluster</c> section: this node, and the live nodes as this node last read them.</summary>
public sealed record ClusterAudit(string Backplane, string NodeId, bool Connected, DateTimeOffset? CheckedAt, IReadOnlyList<ClusterNode> Nodes);
