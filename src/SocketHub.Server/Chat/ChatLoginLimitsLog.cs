namespace SocketHub.Server.Chat;

/// <summary>The log lines of <see cref="ChatLoginLimits"/>: one when a limit starts refusing, not one per refusal.</summary>
internal static partial class ChatLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat login attempts from {Remote} are over Chat:LoginAttemptsPerMinute ({Limit}); refused, without hashing, until the allowance refills")]
    public static partial void TooManyLoginAttempts(ILogger logger, string remote, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat registrations from {Remote} are over Chat:RegistrationsPerHour ({Limit}); refused until the allowance refills")]
    public static partial void TooManyRegistrations(ILogger logger, string remote, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The chat has Chat:MaxAccounts ({Limit}) accounts; registrations are refused")]
    public static partial void AccountsFull(ILogger logger, int limit);
}
