using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using SocketHub.Server.Data;
using SocketHub.Server.Ops;

namespace SocketHub.Server.Board;

/// <summary>
/// The single writer for board posts. SQLite has one writer at a time, so rather than many
/// contexts racing for the lock, every post joins a queue and this loop commits whatever has
/// gathered in one transaction (group commit). Each poster's task completes only after the
/// transaction holding its row has committed, which is when the client may be told so.
/// It is disposed after the server has stopped, and drains the queue first.
/// </summary>
public sealed class BoardPostWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly Channel<PendingPost> _queue = Channel.CreateBounded<PendingPost>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly IDbContextFactory<SocketHubDb> _contexts;
    private readonly StoredCounts _counts;
    private readonly ActivityFeed _activity;
    private readonly TimeProvider _time;
    private readonly ILogger<BoardPostWriter> _logger;
    private readonly Task _loop;

    public BoardPostWriter(
        IDbContextFactory<SocketHubDb> contexts, StoredCounts counts, ActivityFeed activity, TimeProvider time, ILogger<BoardPostWriter> logger)
    {
        _contexts = contexts;
        _counts = counts;
        _activity = activity;
        _time = time;
        _logger = logger;
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Stores a post; completes with its id once committed.</summary>
    public async Task<long> PostAsync(string text, string? poster)
    {
        var pending = new PendingPost(
            new BoardMessage { Text = text, Poster = poster, PostedAt = _time.GetUtcNow() },
            new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending);
        return await pending.Committed.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingPost>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var post))
            {
                batch.Add(post);
            }

            await CommitAsync(batch);
            batch.Clear();
        }
    }

    private async Task CommitAsync(List<PendingPost> batch)
    {
        try
        {
            await using var db = await _contexts.CreateDbContextAsync();
            db.BoardMessages.AddRange(batch.Select(p => p.Message));
            await db.SaveChangesAsync(); // one transaction for the whole batch
        }
        catch (Exception e)
        {
            BoardLog.StoreFailed(_logger, e, batch.Count);
            foreach (var post in batch)
            {
                post.Committed.TrySetException(e);
            }

            return;
        }

        _counts.BoardPosted(batch.Count);
        foreach (var post in batch)
        {
            _activity.Add(BoardDialect.Info.Name, $"{post.Message.Poster}: post #{post.Message.Id} \"{post.Message.Text}\"");
            post.Committed.TrySetResult(post.Message.Id);
        }
    }

    private sealed record PendingPost(BoardMessage Message, TaskCompletionSource<long> Committed);
}
