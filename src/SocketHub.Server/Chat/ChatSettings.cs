using SocketHub.Server.Pipeline;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Chat;

/// <summary><c>Chat:*</c> settings, for every chat dialect (they share one room).</summary>
public sealed class ChatSettings : IValidatedSettings
{
    /// <summary>The text dialect (telnet, netcat).</summary>
    public int Port { get; set; } = 12000;

    /// <summary>The JSON dialect (programs).</summary>
    public int JsonPort { get; set; } = 12001;

    /// <summary>The secure chat (Boyd's encrypted chat client); the original's 8080 is the board's.</summary>
    public int SecurePort { get; set; } = 8081;

    /// <summary>TLS beside <see cref="Port"/>, <see cref="JsonPort"/> and <see cref="SecurePort"/>; unset: the plain port + 10000; 0: none.</summary>
    public int? TlsPort { get; set; }

    /// <inheritdoc cref="TlsPort"/>
    public int? JsonTlsPort { get; set; }

    /// <inheritdoc cref="TlsPort"/>
    public int? SecureTlsPort { get; set; }

    /// <summary>An unknown username logs in by creating the account with the password given.</summary>
    public bool OpenRegistration { get; set; } = true;

    /// <summary>Optional file of <c>username password</c> lines imported at start (COMP3331's credentials.txt).</summary>
    public string? CredentialsFile { get; set; }

    /// <summary>PBKDF2-HMAC-SHA256 iterations for new hashes (OWASP's figure); older hashes are upgraded at login.</summary>
    public int PasswordIterations { get; set; } = 600_000;

    /// <summary>
    /// Password checks (logins and registrations) one remote address may ask for per minute, on
    /// every chat port together; the next is refused before anything is hashed. 0: no limit.
    /// </summary>
    public int LoginAttemptsPerMinute { get; set; } = 30;

    /// <summary>Accounts one remote address may register per hour (open registration). 0: no limit.</summary>
    public int RegistrationsPerHour { get; set; } = 20;

    /// <summary>Accounts the chat may hold before open registration stops making new ones (the credentials file still imports all of its own). 0: no limit.</summary>
    public int MaxAccounts { get; set; } = 10_000;

    /// <summary>How long an account stays blocked after three consecutive wrong passwords.</summary>
    public double BlockDurationSeconds { get; set; } = 60;

    /// <summary>Logged in and no command for this long: logged out.</summary>
    public double TimeoutSeconds { get; set; } = 600;

    /// <summary>How long a connection has to finish logging in.</summary>
    public double LoginTimeoutSeconds { get; set; } = 60;

    /// <summary>Lines per second per user, refilled continuously.</summary>
    public double LinesPerSecond { get; set; } = 5;

    /// <summary>Lines a user may send at once before the rate applies.</summary>
    public int LineBurst { get; set; } = 10;

    /// <summary>
    /// Bytes waiting to be sent to one client before it is disconnected, unless they are no more
    /// than one room burst (everyone's <see cref="LineBurst"/> at once; see <see cref="ChatQueueLimit"/>).
    /// </summary>
    public long OutgoingQueueBytes { get; set; } = 1024 * 1024;

    /// <summary>Optional: lines waiting for one client before it is disconnected, beside the bytes (unset: no count).</summary>
    public int? OutgoingQueueLimit { get; set; }

    /// <summary>
    /// JSON port: the least time between two objects sent to one client. The COMP3331 messenger's
    /// client reads one object per <c>recv</c>; objects sent back to back can arrive together.
    /// 0 sends them as fast as the client takes them (each still in a write of its own).
    /// </summary>
    public double JsonObjectGapMilliseconds { get; set; } = 20;

    public TimeSpan JsonObjectGap => TimeSpan.FromMilliseconds(JsonObjectGapMilliseconds);
    /// <summary>Messages stored for one offline user; the next sender is told the user has too many.</summary>
    public int OfflineMessageLimit { get; set; } = 1000;

    /// <summary>The most <see cref="HistoryOnJoin"/> may ask for: a join's replay goes into the session's queue at once.</summary>
    public const int MaxHistoryOnJoin = 100;

    /// <summary>
    /// Room lines (broadcasts) a user is sent on joining, oldest first, after the welcome. 0 (the
    /// default): none, and no room line is stored, so every port behaves as the originals did.
    /// </summary>
    public int HistoryOnJoin { get; set; }

    /// <summary>Room lines kept in the database while <see cref="HistoryOnJoin"/> is on; older ones are deleted as new ones come.</summary>
    public int RoomLogRetention { get; set; } = 1000;

    public TimeSpan BlockDuration => TimeSpan.FromSeconds(BlockDurationSeconds);

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public TimeSpan LoginTimeout => TimeSpan.FromSeconds(LoginTimeoutSeconds);

    public void Validate(SettingsCheck check)
    {
        check.AtLeast("Chat:PasswordIterations", PasswordIterations, 1);
        check.AtLeast("Chat:LoginAttemptsPerMinute", LoginAttemptsPerMinute, 0);
        check.AtLeast("Chat:RegistrationsPerHour", RegistrationsPerHour, 0);
        check.AtLeast("Chat:MaxAccounts", MaxAccounts, 0);
        check.AtLeast("Chat:BlockDurationSeconds", BlockDurationSeconds, 0);
        check.AtLeast("Chat:TimeoutSeconds", TimeoutSeconds, 0.1);
        check.AtLeast("Chat:LoginTimeoutSeconds", LoginTimeoutSeconds, 0.1);
        check.AtLeast("Chat:LinesPerSecond", LinesPerSecond, 0.001);
        check.AtLeast("Chat:LineBurst", LineBurst, 1);
        check.AtLeast("Chat:OutgoingQueueBytes", OutgoingQueueBytes, ChatQueueLimit.MinimumBytes);
        if (OutgoingQueueLimit is { } lines)
        {
            check.AtLeast("Chat:OutgoingQueueLimit", lines, 8);
        }

        check.AtLeast("Chat:JsonObjectGapMilliseconds", JsonObjectGapMilliseconds, 0);
        check.AtLeast("Chat:OfflineMessageLimit", OfflineMessageLimit, 0);
        check.That(
            HistoryOnJoin is >= 0 and <= MaxHistoryOnJoin,
            $"Chat:HistoryOnJoin must be from 0 (off) to {MaxHistoryOnJoin} (got {HistoryOnJoin}).");
        check.That(
            RoomLogRetention >= Math.Max(HistoryOnJoin, 1),
            $"Chat:RoomLogRetention must be at least 1 and at least Chat:HistoryOnJoin ({HistoryOnJoin}) (got {RoomLogRetention}).");
        if (!string.IsNullOrEmpty(CredentialsFile) && !File.Exists(CredentialsFile))
        {
            check.Problem($"Chat:CredentialsFile names a file that does not exist ('{CredentialsFile}').");
        }
    }
}
