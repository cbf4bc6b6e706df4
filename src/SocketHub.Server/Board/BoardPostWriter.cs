using Microsoft.EntityFrameworkCore;
using SocketHub.Server.Data;
using SocketHub.Server.Ops;

namespace SocketHub.Server.Board;

/// <summary>
/// The single writer for board posts: every post joins one <see cref="GroupCommitter{TItem, TResult}"/>,
/// which stores whatever has gathered in one transaction. Each poster's task completes only after
/// the transaction holding its row has committed, which is when the client may be told so; when
/// it fails, every post of that transaction fails with it.
/// It is disposed after the server has stopped, and drains the queue first.
/// </summary>
public sealed class BoardPostWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly IDbContextFactory<SocketHubDb> _contexts;
    private readonly StoredCounts _counts;
    private readonly ActivityFeed _activity;
    private readonly TimeProvider _time;
    private readonly ILogger<BoardPostWriter> _logger;
    private readonly GroupCommitter<BoardMessage, long> _committer;

    // Only the commit loop uses these, one batch at a time. The context and its connection stay
    // open across batches (the context tracks nothing: the rows go in by BoardInsert's SQL), which
    // spares opening the connection, applying the per-connection settings and compiling the insert
    // on the commit's critical path; after a failed batch they are dropped and opened afresh.
    private readonly DatabaseFileGuard? _guard;
    private SocketHubDb? _db;
    private BoardInsert? _insert;

    /// <param name="guard">
    /// The database file's check, when the database is a file: the connection interceptor runs it
    /// when a connection opens, and the writer, whose connection stays open, before every batch.
    /// </param>
    public BoardPostWriter(
        IDbContextFactory<SocketHubDb> contexts,
        StoredCounts counts,
        ActivityFeed activity,
        TimeProvider time,
        ILogger<BoardPostWriter> logger,
        DatabaseFileGuard? guard = null)
    {
        _guard = guard;
        _contexts = contexts;
        _counts = counts;
        _activity = activity;
        _time = time;
        _logger = logger;
        _committer = new GroupCommitter<BoardMessage, long>(CommitAsync, MaxBatch);
    }

    /// <summary>Stores a post; completes with its id once committed.</summary>
    public Task<long> PostAsync(string text, string? poster) =>
        _committer.SubmitAsync(new BoardMessage { Text = text, Poster = poster, PostedAt = _time.GetUtcNow() });

    public async ValueTask DisposeAsync()
    {
        await _committer.DisposeAsync();
        await CloseAsync();
    }

    private async Task<IReadOnlyList<long>> CommitAsync(IReadOnlyList<BoardMessage> batch)
    {
        long[] ids;
        try
        {
            if (_db is null)
            {
                _db = await _contexts.CreateDbContextAsync();
                await _db.Database.OpenConnectionAsync();
                _insert = new BoardInsert(_db, _db.Database.GetDbConnection());
            }
            else
            {
                _guard?.Check();
            }

            await using var transaction = await _db.Database.GetDbConnection().BeginTransactionAsync(); // one transaction for the whole batch
            ids = await _insert!.InsertAsync(transaction, batch);
            await transaction.CommitAsync();
        }
        catch (Exception e)
        {
            BoardLog.StoreFailed(_logger, e, batch.Count);
            await CloseAsync();
            throw;
        }

        _counts.BoardPosted(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Id = ids[i];
        }

        // The feed keeps only its newest ActivityFeed.Capacity events: the posts of a large batch
        // before those would be dropped again at once, so they are not formatted at all.
        for (var i = Math.Max(0, batch.Count - ActivityFeed.Capacity); i < batch.Count; i++)
        {
            var message = batch[i];
            _activity.Add(BoardDialect.Info.Name, $"{message.Poster}: post #{message.Id} \"{message.Text}\"");
        }

        return ids;
    }

    /// <summary>Drops the writer's connection; the next batch opens a new one.</summary>
    private async Task CloseAsync()
    {
        try
        {
            if (_insert is not null)
            {
                await _insert.DisposeAsync();
            }

            if (_db is not null)
            {
                await _db.DisposeAsync();
            }
        }
        catch (Exception e)
        {
            // Closing a connection that has just failed may fail again; the next batch starts afresh either way.
            BoardLog.CloseFailed(_logger, e);
        }
        finally
        {
            _insert = null;
            _db = null;
        }
    }
}
