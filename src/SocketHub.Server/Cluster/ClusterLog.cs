namespace SocketHub.Server.Cluster;

/// <summary>Log messages of the Redis backplane (source-generated, structured). None carries the connection string.</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} joins the cluster through Redis at {Endpoints}")]
    public static partial void Joining(ILogger logger, string nodeId, string endpoints);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis connection to {Endpoint} lost ({FailureType}); retrying")]
    public static partial void ConnectionFailed(ILogger logger, string endpoint, string failureType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis connection to {Endpoint} restored")]
    public static partial void ConnectionRestored(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster heartbeat of node {NodeId} failed ({Reason}); the node and its sessions drop out of the registry if this lasts")]
    public static partial void HeartbeatFailed(ILogger logger, string nodeId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster heartbeat of node {NodeId} works again")]
    public static partial void HeartbeatRestored(ILogger logger, string nodeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat login of {User} admitted without a cluster-wide claim: Redis did not answer ({Reason})")]
    public static partial void ClaimUnchecked(ILogger logger, string user, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat session of {User} lost its cluster-wide claim to another session")]
    public static partial void ClaimLost(ILogger logger, string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connections per address counted on this node only (limit {Limit} per node): Redis did not answer ({Reason})")]
    public static partial void AddressLimitLocal(ILogger logger, int limit, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connections per address counted across the cluster again (limit {Limit})")]
    public static partial void AddressLimitShared(ILogger logger, int limit);
}
