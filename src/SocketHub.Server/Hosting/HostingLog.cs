using System.Net;

namespace SocketHub.Server.Hosting;

/// <summary>Log messages of the shared transport code (source-generated, structured).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Listener} listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, string listener, IPEndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "SocketHub started; data in {DataDirectory}. Press Ctrl+C to stop")]
    public static partial void Started(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "At most {MaxConnections} connections at once (Limits:MaxConnections; open-file limit {OpenFileLimit})")]
    public static partial void ConnectionCap(ILogger logger, int maxConnections, long? openFileLimit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Endpoint} holds new clients unanswered: {Sockets} sockets are open, the most the open-file limit allows; they are answered as others close")]
    public static partial void AcceptPaused(ILogger logger, int sockets, EndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "SocketHub stopping: no new connections, finishing the requests in hand")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a {Dialect} connection from {Remote}: {Reason} (further refusals from it are counted for a while)")]
    public static partial void Refused(ILogger logger, string dialect, IPAddress remote, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Count} more connections ({Dialect}, ...) from {Remote} in the last {Seconds} s: {Reason}")]
    public static partial void RefusedMore(ILogger logger, int count, string dialect, IPAddress remote, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Dialect} connection opened from {Remote}")]
    public static partial void Opened(ILogger logger, string dialect, IPAddress remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Dialect} connection from {Remote} closed")]
    public static partial void Closed(ILogger logger, string dialect, IPAddress remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Dialect} client {Remote} went away ({Reason})")]
    public static partial void ClientWentAway(ILogger logger, string dialect, IPAddress remote, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Dialect} connection from {Remote} failed")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception, string dialect, IPAddress remote);
}
