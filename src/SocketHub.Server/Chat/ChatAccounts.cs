using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using SocketHub.Server.Data;

namespace SocketHub.Server.Chat;

/// <summary>
/// Chat accounts, blocks and offline messages in the database, and every account's statistics.
/// The list of account names and their counters are held in memory (read on every command, and
/// by /audit); a command only changes the counters in memory, and the
/// <see cref="ChatStatisticsWriter"/> writes the changed ones behind, once a second, in one
/// statement: no database work on the way of a broadcast.
/// </summary>
public sealed class ChatAccounts : IAsyncDisposable
{
    private readonly IDbContextFactory<SocketHubDb> _contexts;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, ChatUserStats> _accounts = new(StringComparer.Ordinal);
    private readonly ChatStatisticsWriter _statistics;

    public ChatAccounts(IDbContextFactory<SocketHubDb> contexts, TimeProvider time, ILogger<ChatAccounts> logger)
    {
        _contexts = contexts;
        _time = time;
        _statistics = new ChatStatisticsWriter(contexts, logger);
    }

    public int Count => _accounts.Count;

    public bool Exists(string user) => _accounts.ContainsKey(user);

    /// <summary>An account was stored (here, or on another node of the cluster, announced there).</summary>
    public event Action<string>? Created;

    /// <summary>An account another node stored: it exists here from now on.</summary>
    public void Known(string user) => _accounts.TryAdd(user, new ChatUserStats(user));

    /// <summary>
    /// Reads the accounts this node does not know yet (created on another node while the news
    /// could not come) and returns every stored block; the accounts known already keep their counters.
    /// </summary>
    public async Task<IReadOnlyList<(string Blocker, string Blocked)>> LoadMissingAsync(CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        foreach (var user in await db.ChatAccounts.AsNoTracking().Select(a => a.Username).ToListAsync(cancellationToken))
        {
            Known(user);
        }

        var blocks = await db.ChatBlocks.AsNoTracking().Select(b => new { b.Blocker, b.Blocked }).ToListAsync(cancellationToken);
        return blocks.Select(b => (b.Blocker, b.Blocked)).ToList();
    }

    /// <summary>Reads every account's counters into memory; returns the stored blocks.</summary>
    public async Task<IReadOnlyList<(string Blocker, string Blocked)>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        foreach (var account in await db.ChatAccounts.AsNoTracking().ToListAsync(cancellationToken))
        {
            _accounts[account.Username] = ChatUserStats.From(account);
        }

        var blocks = await db.ChatBlocks.AsNoTracking().Select(b => new { b.Blocker, b.Blocked }).ToListAsync(cancellationToken);
        return blocks.Select(b => (b.Blocker, b.Blocked)).ToList();
    }

    public async Task<string?> PasswordHashAsync(string user)
    {
        await using var db = await _contexts.CreateDbContextAsync();
        return await db.ChatAccounts.Where(a => a.Username == user).Select(a => a.PasswordHash).FirstOrDefaultAsync();
    }

    /// <summary>Creates accounts; false for any that exists already (a racing registration won).</summary>
    public async Task<bool> CreateAsync(string user, string passwordHash)
    {
        try
        {
            await using var db = await _contexts.CreateDbContextAsync();
            db.ChatAccounts.Add(new ChatAccount { Username = user, PasswordHash = passwordHash, CreatedAt = _time.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            if (await ExistsInDatabaseAsync(user))
            {
                return false;
            }

            throw;
        }

        _accounts.TryAdd(user, new ChatUserStats(user));
        Created?.Invoke(user);
        return true;
    }

    /// <summary>Adds accounts that do not exist yet (the credentials file); returns how many were added.</summary>
    public async Task<int> ImportAsync(IReadOnlyList<(string User, string PasswordHash)> accounts, CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var added = accounts.Where(a => !_accounts.ContainsKey(a.User)).ToList();
        db.ChatAccounts.AddRange(added.Select(a => new ChatAccount { Username = a.User, PasswordHash = a.PasswordHash, CreatedAt = now }));
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (user, _) in added)
        {
            _accounts.TryAdd(user, new ChatUserStats(user));
            Created?.Invoke(user);
        }

        return added.Count;
    }

    public async Task UpdatePasswordHashAsync(string user, string passwordHash)
    {
        await using var db = await _contexts.CreateDbContextAsync();
        await db.ChatAccounts.Where(a => a.Username == user).ExecuteUpdateAsync(s => s.SetProperty(a => a.PasswordHash, passwordHash));
    }

    public async Task BlockAsync(string blocker, string blocked)
    {
        await using var db = await _contexts.CreateDbContextAsync();
        if (!await db.ChatBlocks.AnyAsync(b => b.Blocker == blocker && b.Blocked == blocked))
        {
            db.ChatBlocks.Add(new ChatBlock { Blocker = blocker, Blocked = blocked, CreatedAt = _time.GetUtcNow() });
            await db.SaveChangesAsync();
        }
    }

    public async Task UnblockAsync(string blocker, string blocked)
    {
        await using var db = await _contexts.CreateDbContextAsync();
        await db.ChatBlocks.Where(b => b.Blocker == blocker && b.Blocked == blocked).ExecuteDeleteAsync();
    }

    public async Task StoreOfflineAsync(string recipient, string sender, string text)
    {
        await using var db = await _contexts.CreateDbContextAsync();
        db.ChatOfflineMessages.Add(new ChatOfflineMessage { Recipient = recipient, Sender = sender, Text = text, SentAt = _time.GetUtcNow() });
        await db.SaveChangesAsync();
    }

    /// <summary>How many messages wait for <paramref name="recipient"/>.</summary>
    public async Task<int> OfflineCountAsync(string recipient)
    {
        await using var db = await _contexts.CreateDbContextAsync();
        return await db.ChatOfflineMessages.CountAsync(m => m.Recipient == recipient);
    }

    /// <summary>Up to <paramref name="take"/> messages waiting for <paramref name="recipient"/> after <paramref name="afterId"/>, oldest first.</summary>
    public async Task<IReadOnlyList<ChatOfflineMessage>> OfflinePageAsync(string recipient, long afterId, int take)
    {
        await using var db = await _contexts.CreateDbContextAsync();
        return await db.ChatOfflineMessages.AsNoTracking()
            .Where(m => m.Recipient == recipient && m.Id > afterId)
            .OrderBy(m => m.Id)
            .Take(take)
            .ToListAsync();
    }

    /// <summary>Deletes delivered messages; a page at a time (SQLite bounds the ids one statement can list).</summary>
    public async Task DeleteOfflineAsync(IReadOnlyList<long> ids)
    {
        await using var db = await _contexts.CreateDbContextAsync();
        await db.ChatOfflineMessages.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync();
    }

    public void LoggedIn(string user, string address) => Change(user, s => s.LoggedIn(_time.GetUtcNow(), address));

    public void LoggedOff(string user) => Change(user, s => s.LoggedOff());

    public void MessageSent(string user) => Change(user, s => s.MessageSent());

    public void BroadcastSent(string user) => Change(user, s => s.BroadcastSent());

    public void LoginFailed(string user) => Change(user, s => s.LoginFailed());

    public ChatUserStatistics? Statistics(string user) => _accounts.TryGetValue(user, out var stats) ? stats.Snapshot() : null;

    public IReadOnlyList<ChatUserStatistics> AllStatistics() =>
        _accounts.Values.Select(s => s.Snapshot()).OrderBy(s => s.User, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Saves the last counters and stops saving. Called when the host stops, after the listeners
    /// have closed every connection (so every logoff is counted) and while the database services
    /// are still there: during disposal they may already be gone.
    /// </summary>
    public Task StopAsync() => _statistics.StopAsync();

    public ValueTask DisposeAsync() => _statistics.DisposeAsync();

    private void Change(string user, Action<ChatUserStats> change)
    {
        if (_accounts.TryGetValue(user, out var stats))
        {
            change(stats);
            _statistics.Changed(stats);
        }
    }

    private async Task<bool> ExistsInDatabaseAsync(string user)
    {
        await using var db = await _contexts.CreateDbContextAsync();
        return await db.ChatAccounts.AnyAsync(a => a.Username == user);
    }
}
