namespace SocketHub.Server.Chat;

/// <summary>One account's counters as /audit shows them.</summary>
public sealed record ChatUserStatistics(
    string User,
    long Logons,
    long Logoffs,
    long MessagesSent,
    long BroadcastsSent,
    long FailedLogins,
    DateTimeOffset? LastLoginAt,
    string? LastLoginAddress);

/// <summary>Live counters of one account; the database copy is written behind (see <see cref="ChatStatisticsWriter"/>).</summary>
internal sealed class ChatUserStats(string user)
{
    private readonly Lock _lock = new();
    private long _logons, _logoffs, _messages, _broadcasts, _failed;
    private int _marked;
    private DateTimeOffset? _lastLoginAt;
    private string? _lastLoginAddress;

    public string User { get; } = user;

    public static ChatUserStats From(Data.ChatAccount account) => new(account.Username)
    {
        _logons = account.Logons,
        _logoffs = account.Logoffs,
        _messages = account.MessagesSent,
        _broadcasts = account.BroadcastsSent,
        _failed = account.FailedLogins,
        _lastLoginAt = account.LastLoginAt,
        _lastLoginAddress = account.LastLoginAddress,
    };

    public void LoggedIn(DateTimeOffset at, string address)
    {
        lock (_lock)
        {
            _logons++;
            _lastLoginAt = at;
            _lastLoginAddress = address;
        }
    }

    public void LoggedOff() => Interlocked.Increment(ref _logoffs);

    public void MessageSent() => Interlocked.Increment(ref _messages);

    public void BroadcastSent() => Interlocked.Increment(ref _broadcasts);

    public void LoginFailed() => Interlocked.Increment(ref _failed);

    /// <summary>Marks the counters as changed since they were last written; true when they were not marked yet.</summary>
    public bool Mark() => Interlocked.Exchange(ref _marked, 1) == 0;

    /// <summary>The counters are about to be written: a change from now on marks them again.</summary>
    public void Unmark() => Volatile.Write(ref _marked, 0);

    public ChatUserStatistics Snapshot()
    {
        lock (_lock)
        {
            return new ChatUserStatistics(
                User,
                Interlocked.Read(ref _logons),
                Interlocked.Read(ref _logoffs),
                Interlocked.Read(ref _messages),
                Interlocked.Read(ref _broadcasts),
                Interlocked.Read(ref _failed),
                _lastLoginAt,
                _lastLoginAddress);
        }
    }
}
