namespace SocketHub.Server.Cluster.Chat;

/// <summary>Log messages of the cluster's chat (source-generated, structured).</summary>
internal static partial class ClusterChatLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Chat room of node {NodeId} joined the cluster's room after line {LastId}")]
    public static partial void Started(ILogger logger, string nodeId, long lastId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for messages to {User} from other nodes failed ({Reason}); they are stored for the next login")]
    public static partial void ListenFailed(ILogger logger, string user, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading blocks again after Redis came back failed")]
    public static partial void ReloadFailed(ILogger logger, System.Exception exception);
}
