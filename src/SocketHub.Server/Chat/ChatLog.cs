namespace SocketHub.Server.Chat;

/// <summary>Log messages of the chat (source-generated, structured). Passwords never reach a log; usernames are checked or sanitised first.</summary>
internal static partial class ChatLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Chat user {User} logged in from {Remote}")]
    public static partial void LoggedIn(ILogger logger, string user, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat user {User} logged out ({Remote})")]
    public static partial void LoggedOut(ILogger logger, string user, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat account {User} registered")]
    public static partial void Registered(ILogger logger, string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat login for {User} on {Dialect} with a wrong password (now blocked: {NowBlocked})")]
    public static partial void WrongPassword(ILogger logger, string user, string dialect, bool nowBlocked);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat user {User} is already logged in; refused a second login from {Remote}")]
    public static partial void DuplicateLogin(ILogger logger, string user, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat client {Remote} stopped reading ({User}); its outgoing queue overflowed, disconnected")]
    public static partial void Overflowed(ILogger logger, string remote, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat client {Remote} sent a line over the limit; closing")]
    public static partial void LineTooLong(ILogger logger, string remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Chat command {Command} from {User}")]
    public static partial void Command(ILogger logger, string command, string user);

    [LoggerMessage(Level = LogLevel.Error, Message = "Chat command {Command} of {User} failed")]
    public static partial void CommandFailed(ILogger logger, Exception exception, string user, string command);

    [LoggerMessage(Level = LogLevel.Error, Message = "Chat login of {User} failed on the server")]
    public static partial void LoginFailedOnServer(ILogger logger, Exception exception, string user);

    [LoggerMessage(Level = LogLevel.Error, Message = "Offline messages for {User} could not be delivered")]
    public static partial void OfflineDeliveryFailed(ILogger logger, Exception exception, string user);

    [LoggerMessage(Level = LogLevel.Error, Message = "Chat statistics of {Count} users were not saved")]
    public static partial void StatisticsNotSaved(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat credentials file {Path}: {Added} accounts imported, {Existing} existed already")]
    public static partial void Imported(ILogger logger, string path, int added, int existing);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat credentials file {Path}, line {Line}: {Problem}; line skipped")]
    public static partial void BadCredentialsLine(ILogger logger, string path, int line, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A message from {Sender} to {User} sent on another node was dropped: {User} left meanwhile and has too many stored messages")]
    public static partial void RemoteMessageDropped(ILogger logger, string sender, string user);

    [LoggerMessage(Level = LogLevel.Error, Message = "A message from {Sender} to {User} sent on another node could not be delivered or stored")]
    public static partial void RemoteMessageFailed(ILogger logger, Exception exception, string sender, string user);
}
