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
}
