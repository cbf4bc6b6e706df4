namespace SocketHub.Server.Crypto;

/// <summary>
/// Log messages of the crypto dialect (source-generated, structured). Keys, texts and tokens are
/// never logged: a token is as good as its text to whoever has the key, and <c>#gk##</c> hands
/// the key to anyone who asks.
/// </summary>
internal static partial class CryptoLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Generated a new crypto key in {Path}")]
    public static partial void KeyGenerated(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Crypto keys ready: {Configured} from Crypto:Keys plus the stored key; encrypting with {Current}")]
    public static partial void KeysReady(ILogger logger, int configured, string current);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The crypto key file {Path} is readable by other users; chmod 600 it")]
    public static partial void KeyFileReadable(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Crypto {Operation} from {Remote}: {Outcome}")]
    public static partial void Handled(ILogger logger, string operation, string remote, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Crypto client {Remote} sent a request over the limit; closing")]
    public static partial void TooLarge(ILogger logger, string remote);
}
