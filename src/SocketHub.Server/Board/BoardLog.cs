namespace SocketHub.Server.Board;

/// <summary>Log messages of the board (source-generated, structured). Client text is sanitised by callers.</summary>
internal static partial class BoardLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Board message {MessageId} posted by {Remote}: {Text}")]
    public static partial void Posted(ILogger logger, long messageId, string remote, string text);

    [LoggerMessage(Level = LogLevel.Information, Message = "Board client {Remote} sent a command over the limit; closing")]
    public static partial void Overloaded(ILogger logger, string remote);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} board posts")]
    public static partial void StoreFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closing the board writer's database connection failed")]
    public static partial void CloseFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A post from {Remote} was not stored")]
    public static partial void PostFailed(ILogger logger, Exception exception, string remote);
}
