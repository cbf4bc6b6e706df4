namespace SocketHub.Server.History;

/// <summary>
/// Log messages of the history server (source-generated, structured). User words are passwords:
/// they never appear here, only the operation and the remote address.
/// </summary>
internal static partial class HistoryLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "History request from {Remote}: operation {Op}, {Outcome}")]
    public static partial void Handled(ILogger logger, string remote, string op, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "History client {Remote} sent a request over 2048 bytes; closing")]
    public static partial void TooLong(ILogger logger, string remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "History client {Remote} is over the request rate; not logged")]
    public static partial void RateLimited(ILogger logger, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "History username generated for {Remote}")]
    public static partial void UserCreated(ILogger logger, string remote);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write {Count} history requests")]
    public static partial void WriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "A history request from {Remote} was not logged")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string remote);
}
