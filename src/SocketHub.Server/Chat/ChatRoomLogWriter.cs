using Microsoft.EntityFrameworkCore;
using SocketHub.Server.Data;

namespace SocketHub.Server.Chat;

/// <summary>
/// Stores the room's lines: for <see cref="ChatSettings.HistoryOnJoin"/>, and with the cluster's
/// chat (<see cref="Cluster.Chat.ClusterChat"/>) as the one ordered log every node delivers from.
/// Every line joins one <see cref="GroupCommitter{TItem, TResult}"/>, so lines sent together share
/// one transaction and nobody in the room waits for a commit per line; each caller learns its
/// line's id. The same transaction keeps the table near <see cref="ChatSettings.RoomLogRetention"/>
/// lines: it deletes those more than that many ids older than the newest, at most
/// <see cref="MaxDeletes"/> at a time (a lowered retention is caught up over a few commits).
/// On PostgreSQL each commit first takes one transaction-scoped advisory lock, so ids are handed
/// out in commit order across every node: once a node sees line N, every line below N is
/// committed already or never will be, and one read settles a gap. (SQLite has one writer.)
/// A line that cannot be stored gets id 0: on a single node it is logged and dropped (the live
/// room has sent it); the cluster's chat refuses the broadcast instead.
/// It is disposed after the server has stopped, and drains the queue first.
/// </summary>
public sealed partial class ChatRoomLogWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;

    // Any fixed number: the one advisory lock that orders the room log's commits.
    private const long CommitOrderLock = 0x536f636b6574L;

    /// <summary>The most rows one commit deletes.</summary>
    internal const int MaxDeletes = 512;

    private readonly IDbContextFactory<SocketHubDb> _contexts;
    private readonly int _retention;
    private readonly ILogger<ChatRoomLogWriter> _logger;
    private readonly GroupCommitter<ChatRoomLine, long> _committer;

    public ChatRoomLogWriter(IDbContextFactory<SocketHubDb> contexts, ChatSettings settings, ILogger<ChatRoomLogWriter> logger)
    {
        _contexts = contexts;
        _retention = settings.RoomLogRetention;
        _logger = logger;
        _committer = new GroupCommitter<ChatRoomLine, long>(CommitAsync, MaxBatch);
    }

    /// <summary>The last <paramref name="count"/> stored lines, oldest first.</summary>
    public async Task<IReadOnlyList<ChatRoomLine>> LoadAsync(int count, CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var newest = await db.ChatRoomLines.AsNoTracking()
            .OrderByDescending(l => l.Id)
            .Take(count)
            .ToListAsync(cancellationToken);
        newest.Reverse();
        return newest;
    }

    /// <summary>Up to <paramref name="count"/> stored lines after <paramref name="afterId"/>, in id order.</summary>
    public async Task<IReadOnlyList<ChatRoomLine>> LinesAfterAsync(long afterId, int count, CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        return await db.ChatRoomLines.AsNoTracking()
            .Where(l => l.Id > afterId)
            .OrderBy(l => l.Id)
            .Take(count)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The newest line's id, 0 when there is none.</summary>
    public async Task<long> NewestIdAsync(CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        return await db.ChatRoomLines.MaxAsync(l => (long?)l.Id, cancellationToken) ?? 0;
    }

    /// <summary>
    /// Queues a line to be stored; completes with its id once its batch has committed (0 when it
    /// could not be stored).
    /// </summary>
    public Task<long> AppendAsync(ChatRoomLine line) => _committer.SubmitAsync(line);

    public ValueTask DisposeAsync() => _committer.DisposeAsync();

    private async Task<IReadOnlyList<long>> CommitAsync(IReadOnlyList<ChatRoomLine> batch)
    {
        var results = new long[batch.Count];
        try
        {
            await using var db = await _contexts.CreateDbContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            if (db.Database.IsNpgsql())
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({CommitOrderLock})");
            }

            db.ChatRoomLines.AddRange(batch);
            await db.SaveChangesAsync();

            var cutoff = batch.Max(l => l.Id) - _retention;
            if (cutoff > 0)
            {
                await db.ChatRoomLines.Where(l => l.Id <= cutoff).OrderBy(l => l.Id).Take(MaxDeletes).ExecuteDeleteAsync();
            }

            await transaction.CommitAsync();
            for (var i = 0; i < batch.Count; i++)
            {
                results[i] = batch[i].Id;
            }
        }
        catch (Exception e)
        {
            StoreFailed(_logger, e, batch.Count);
        }

        return results;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing {Count} chat room lines failed; they will not be replayed")]
    private static partial void StoreFailed(ILogger logger, Exception exception, int count);
}
