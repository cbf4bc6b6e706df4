using Microsoft.EntityFrameworkCore;
using SocketHub.Server.Data;

namespace SocketHub.Server.Ops;

/// <summary>
/// How many board messages and history lines the database holds, kept in memory so /audit and the
/// metrics instruments read the same figure without a table scan. Loaded once at start; then the
/// single writers report each committed change (they are the only paths that write those tables).
/// </summary>
public sealed class StoredCounts
{
    private long _boardMessages;
    private long _historyLines;

    public long BoardMessages => Interlocked.Read(ref _boardMessages);

    public long HistoryLines => Interlocked.Read(ref _historyLines);

    public async Task LoadAsync(IDbContextFactory<SocketHubDb> contexts)
    {
        await using var db = await contexts.CreateDbContextAsync();
        Interlocked.Exchange(ref _boardMessages, await db.BoardMessages.LongCountAsync());
        Interlocked.Exchange(ref _historyLines, await db.HistoryLines.LongCountAsync());
    }

    /// <summary>After a commit of <paramref name="count"/> new posts.</summary>
    public void BoardPosted(int count) => Interlocked.Add(ref _boardMessages, count);

    /// <summary>After a commit that changed the history by <paramref name="change"/>.</summary>
    public void HistoryChanged(HistoryLineCountChange change)
    {
        if (change.Reset)
        {
            Interlocked.Exchange(ref _historyLines, change.Lines);
        }
        else
        {
            Interlocked.Add(ref _historyLines, change.Lines);
        }
    }
}

/// <summary>
/// What one history transaction did to the line count: a difference, or (after "delete all") the
/// new count itself, since the writer knows the result of emptying but not the count before it.
/// </summary>
public sealed class HistoryLineCountChange
{
    /// <summary>True when the history was emptied; <see cref="Lines"/> is then the count after it.</summary>
    public bool Reset { get; private set; }

    public long Lines { get; private set; }

    public void Appended() => Lines++;

    public void Deleted() => Lines--;

    public void Emptied()
    {
        Reset = true;
        Lines = 0;
    }
}
