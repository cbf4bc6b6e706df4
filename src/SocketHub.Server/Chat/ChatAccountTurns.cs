namespace SocketHub.Server.Chat;

/// <summary>
/// One password check per account at a time. Guesses sent at once on many connections wait their
/// turn, and each turn first looks at the lockout: after the third wrong password the guesses
/// still waiting meet the block without being hashed, so guessing cannot outrun the lockout and
/// a right password during a block is answered exactly like a wrong one. An entry lives only
/// while someone holds or waits for its turn, so the table stays as small as the logins in hand.
/// </summary>
public sealed class ChatAccountTurns
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Waits for the account's turn; dispose the result to pass it on.</summary>
    public async Task<Turn> WaitAsync(string user, CancellationToken cancellationToken = default)
    {
        Entry entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(user, out entry!))
            {
                _entries[user] = entry = new Entry();
            }

            entry.Holders++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(user, entry, held: false);
            throw;
        }

        return new Turn(this, user, entry);
    }

    /// <summary>How many accounts have a check in hand or waiting (for tests and the audit).</summary>
    public int InHand
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    private void Leave(string user, Entry entry, bool held)
    {
        if (held)
        {
            entry.Semaphore.Release();
        }

        lock (_lock)
        {
            if (--entry.Holders == 0)
            {
                _entries.Remove(user);
                entry.Semaphore.Dispose();
            }
        }
    }

    public readonly struct Turn(ChatAccountTurns owner, string user, Entry entry) : IDisposable
    {
        public void Dispose() => owner.Leave(user, entry, held: true);
    }

    public sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        /// <summary>Holding or waiting; guarded by the owner's lock.</summary>
        public int Holders { get; set; }
    }
}
