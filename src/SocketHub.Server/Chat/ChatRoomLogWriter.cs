using Microsoft.EntityFrameworkCore;
using SocketHub.Server.Data;

namespace SocketHub.Server.Chat;

/// <summary>
/// Stores the room's lines for <see cref="ChatSettings.HistoryOnJoin"/>: every line joins one
/// <see cref="GroupCommitter{TItem, TResult}"/>, so lines sent together share one transaction and
/// nobody in the room waits for a commit per line. The same transaction keeps the table at
/// <see cref="ChatSettings.RoomLogRetention"/> lines: it deletes the oldest, at most
/// <see cref="MaxDeletes"/> at a time (a lowered retention is caught up over a few commits), and
/// never scans the table, because the writer keeps the count (read once at start).
/// A line that cannot be stored is logged and dropped: the live room has already sent it.
/// It is disposed after the server has stopped, and drains the queue first.
/// </summary>
public sealed partial class ChatRoomLogWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;

    /// <summary>The most rows one commit deletes.</summary>
    internal const int MaxDeletes = 512;

    private readonly IDbContextFactory<SocketHubDb> _contexts;
    private readonly int _retention;
    private readonly ILogger<ChatRoomLogWriter> _logger;
    private readonly GroupCommitter<ChatRoomLine, bool> _committer;

    // Rows in the table; only the commit loop uses it after the start.
    private long _count;

    public ChatRoomLogWriter(IDbContextFactory<SocketHubDb> contexts, ChatSettings settings, ILogger<ChatRoomLogWriter> logger)
    {
        _contexts = contexts;
        _retention = settings.RoomLogRetention;
        _logger = logger;
        _committer = new GroupCommitter<ChatRoomLine, bool>(CommitAsync, MaxBatch);
    }

    /// <summary>The last <paramref name="count"/> stored lines, oldest first; also counts the table for the retention.</summary>
    public async Task<IReadOnlyList<ChatRoomLine>> LoadAsync(int count, CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        _count = await db.ChatRoomLines.LongCountAsync(cancellationToken);
        var newest = await db.ChatRoomLines.AsNoTracking()
            .OrderByDescending(l => l.Id)
            .Take(count)
            .ToListAsync(cancellationToken);
        newest.Reverse();
        return newest;
    }

    /// <summary>
    /// Queues a line to be stored; completes (true when stored) once its batch has committed.
    /// The room does not wait for it.
    /// </summary>
    public Task<bool> AppendAsync(ChatRoomLine line) => _committer.SubmitAsync(line);

    public ValueTask DisposeAsync() => _committer.DisposeAsync();

    private async Task<IReadOnlyList<bool>> CommitAsync(IReadOnlyList<ChatRoomLine> batch)
    {
        var results = new bool[batch.Count];
        try
        {
            await using var db = await _contexts.CreateDbContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.ChatRoomLines.AddRange(batch);
            await db.SaveChangesAsync();

            var excess = _count + batch.Count - _retention;
            var deleted = excess <= 0
                ? 0
                : await db.ChatRoomLines.OrderBy(l => l.Id).Take((int)Math.Min(excess, MaxDeletes)).ExecuteDeleteAsync();
            await transaction.CommitAsync();
            _count += batch.Count - deleted;
            Array.Fill(results, true);
        }
        catch (Exception e)
        {
            StoreFailed(_logger, e, batch.Count);
        }

        return results;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing {Count} chat room lines failed; they were sent, but will not be replayed")]
    private static partial void StoreFailed(ILogger logger, Exception exception, int count);
}
