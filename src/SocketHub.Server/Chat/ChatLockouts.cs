namespace SocketHub.Server.Chat;

/// <summary>
/// Three consecutive wrong passwords block a username for <c>Chat:BlockDurationSeconds</c>,
/// whatever connections and addresses they came from; a correct password resets the count.
/// Kept in memory: a restart lifts every block. Only existing accounts are counted, so the
/// table holds at most one entry per account.
/// </summary>
public sealed class ChatLockouts(ChatSettings settings, TimeProvider time)
{
    public const int MaxFailures = 3;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public bool IsBlocked(string user)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(user, out var entry) && entry.BlockedUntil > time.GetUtcNow();
        }
    }

    /// <summary>
    /// True when the account has had a wrong password since its last successful login, blocked
    /// since or not: its next check waits behind returning users' (<see cref="ChatHashLane"/>).
    /// </summary>
    public bool FailedSinceLastSuccess(string user)
    {
        lock (_lock)
        {
            return _entries.ContainsKey(user);
        }
    }

    /// <summary>Counts a wrong password; true when it blocks the account.</summary>
    public bool Fail(string user)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (!_entries.TryGetValue(user, out var entry) || (entry.BlockedUntil is { } until && until <= now))
            {
                entry = new Entry();
                _entries[user] = entry;
            }

            entry.Failures++;
            if (entry.Failures < MaxFailures)
            {
                return false;
            }

            entry.Failures = 0;
            entry.BlockedUntil = now + settings.BlockDuration;
            return true;
        }
    }

    public void Succeed(string user)
    {
        lock (_lock)
        {
            _entries.Remove(user);
        }
    }

    /// <summary>Accounts blocked now, and until when.</summary>
    public IReadOnlyList<(string User, DateTimeOffset Until)> InForce()
    {
        lock (_lock)
        {
            // Expired blocks stay in the table until the account's next success: they still say
            // the account was guessed at. One entry per account at most, so the table stays bounded.
            var now = time.GetUtcNow();
            return _entries
                .Where(e => e.Value.BlockedUntil is { } until && until > now)
                .Select(e => (e.Key, e.Value.BlockedUntil!.Value))
                .OrderBy(e => e.Key, StringComparer.Ordinal)
                .ToList();
        }
    }

    private sealed class Entry
    {
        public int Failures { get; set; }

        public DateTimeOffset? BlockedUntil { get; set; }
    }
}
