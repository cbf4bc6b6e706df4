namespace SocketHub.Server.Data;

/// <summary>Log messages of the database's set-up (source-generated, structured).</summary>
internal static partial class DatabaseLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} can be read by other users of this machine (mode {Mode}) and the server could not make it owner-only (it is not its owner); chmod it 700 (a folder) or 600 (a file)")]
    public static partial void OthersMayAccess(ILogger logger, string path, string mode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage: PostgreSQL database {Database}")]
    public static partial void UsingPostgres(ILogger logger, string database);
}
