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

    public ValueTask DisposeAsync() => _committer.DisposeAsync();

    private async Task<IReadOnlyList<long>> CommitAsync(IReadOnlyList<BoardMessage> batch)
    {
        try
        {
            await using var db = await _contexts.CreateDbContextAsync();
            db.BoardMessages.AddRange(batch);
            await db.SaveChangesAsync(); // one transaction for the whole batch
        }
        catch (Exception e)
        {
            BoardLog.StoreFailed(_logger, e, batch.Count);
            throw;
        }

        _counts.BoardPosted(batch.Count);
        var ids = new long[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var message = batch[i];
            _activity.Add(BoardDialect.Info.Name, $"{message.Poster}: post #{message.Id} \"{message.Text}\"");
            ids[i] = message.Id;
        }

        return ids;
    }
}
