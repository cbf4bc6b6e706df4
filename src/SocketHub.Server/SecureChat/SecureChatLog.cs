namespace SocketHub.Server.SecureChat;

/// <summary>
/// Log messages of the secure chat (source-generated, structured). Passwords, keys and message
/// texts never reach a log; a key is named by the first bytes of its SHA-256 fingerprint.
/// </summary>
internal static partial class SecureChatLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Generated a new secure chat key in {Path}")]
    public static partial void KeyGenerated(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Secure chat key ready from {Path} (SHA-256 of its public key begins {Fingerprint})")]
    public static partial void KeyReady(ILogger logger, string path, string fingerprint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The secure chat key file {Path} is readable by other users; chmod 600 it")]
    public static partial void KeyFileReadable(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Secure chat login from {Remote} as {User} refused: {Result}")]
    public static partial void LoginRefused(ILogger logger, string remote, string user, Chat.LoginResult result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Secure chat client {Remote} failed {Attempts} logins; closing")]
    public static partial void TooManyAttempts(ILogger logger, string remote, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Secure chat client {Remote} sent an unusable public key ({Problem}); closing")]
    public static partial void BadKey(ILogger logger, string remote, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Secure chat client {Remote} sent a frame that is refused ({Problem}); closing")]
    public static partial void BadFrame(ILogger logger, string remote, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Secure chat user {User} ({Remote}) sent a message that does not decrypt ({Problem}); closing")]
    public static partial void BadMessage(ILogger logger, string remote, string user, string problem);
}
