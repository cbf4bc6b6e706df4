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

    // Only the commit loop uses these, one batch at a time. The context lives across batches (it
    // tracks nothing: the rows go in by BoardInsert's SQL), which spares building one per batch;
    // its connection is still opened per batch, so every batch passes the connection interceptors
    // (the database file check, the per-connection settings) as every other use does.
    private SocketHubDb? _db;
    private BoardInsert? _insert;

    public BoardPostWriter(
        IDbContextFactory<SocketHubDb> contexts, StoredCounts counts, ActivityFeed activity, TimeProvider time, ILogger<BoardPostWriter> logger)
    {
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
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    private async Task<IReadOnlyList<long>> CommitAsync(IReadOnlyList<BoardMessage> batch)
    {
        long[] ids;
        try
        {
            _db ??= await _contexts.CreateDbContextAsync();
            _insert ??= new BoardInsert(_db);
            await _db.Database.OpenConnectionAsync();
            try
            {
                var connection = _db.Database.GetDbConnection();
                await using var transaction = await connection.BeginTransactionAsync(); // one transaction for the whole batch
                ids = await _insert.InsertAsync(connection, transaction, batch);
                await transaction.CommitAsync();
            }
            finally
            {
                await _db.Database.CloseConnectionAsync();
            }
        }
        catch (Exception e)
        {
            BoardLog.StoreFailed(_logger, e, batch.Count);
            throw;
        }

        _counts.BoardPosted(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var message = batch[i];
            message.Id = ids[i];
            _activity.Add(BoardDialect.Info.Name, $"{message.Poster}: post #{message.Id} \"{message.Text}\"");
        }

        return ids;
    }
}
