using System.Threading.Channels;

namespace SocketHub.Server.Data;

/// <summary>
/// Group commit for the database's single writer. SQLite has one writer at a time, so rather than
/// many contexts racing for the lock, callers queue their work and one loop commits whatever has
/// gathered (up to <c>maxBatch</c> items) in one call of the commit function, one transaction.
/// Each caller's task completes with its own result only after that call has returned, that is
/// after the commit: nothing is acknowledged that is not stored. When the commit throws, every
/// caller of the batch gets the exception, unless <c>retryAloneOnFailure</c> asks to try each
/// item of a failed batch once more in a transaction of its own, so that one bad item does not
/// sink the others. Disposing stops taking work, commits what is already queued, then returns;
/// work submitted after that fails with a <see cref="ChannelClosedException"/>.
/// </summary>
/// <typeparam name="TItem">One caller's work.</typeparam>
/// <typeparam name="TResult">What that caller learns once its work is committed.</typeparam>
internal sealed class GroupCommitter<TItem, TResult> : IAsyncDisposable
{
    /// <summary>How many items may wait before callers wait for room (backpressure, not loss).</summary>
    public const int DefaultCapacity = 10_000;

    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> _commit;
    private readonly int _maxBatch;
    private readonly bool _retryAloneOnFailure;
    private readonly Channel<Pending> _queue;
    private readonly Task _loop;

    /// <param name="commit">
    /// Stores a batch in one transaction and returns one result per item, in the batch's order.
    /// It is only ever called by one loop, never concurrently with itself.
    /// </param>
    /// <param name="maxBatch">The most items one commit takes.</param>
    /// <param name="retryAloneOnFailure">When a batch of several fails, commit each of its items alone.</param>
    /// <param name="capacity">How many items may be queued before <see cref="SubmitAsync"/> waits for room.</param>
    public GroupCommitter(
        Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> commit,
        int maxBatch,
        bool retryAloneOnFailure = false,
        int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _commit = commit;
        _maxBatch = maxBatch;
        _retryAloneOnFailure = retryAloneOnFailure;
        _queue = Channel.CreateBounded<Pending>(
            new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _loop = Task.Run(CommitLoopAsync);
    }

    /// <summary>Queues <paramref name="item"/>; completes with its result once the batch holding it has committed.</summary>
    public async Task<TResult> SubmitAsync(TItem item)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending);
        return await pending.Done.Task;
    }

    /// <summary>Takes no more work, commits everything already queued, and returns when that is done.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task CommitLoopAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            var retry = _retryAloneOnFailure && batch.Count > 1;
            if (!await TryCommitAsync(batch, failCallers: !retry) && retry)
            {
                foreach (var pending in batch)
                {
                    await TryCommitAsync([pending], failCallers: true);
                }
            }

            batch.Clear();
        }
    }

    /// <summary>Commits one batch; on failure, its callers get the exception only if <paramref name="failCallers"/>.</summary>
    private async Task<bool> TryCommitAsync(List<Pending> batch, bool failCallers)
    {
        IReadOnlyList<TResult> results;
        try
        {
            results = await _commit(batch.ConvertAll(p => p.Item));
            if (results.Count != batch.Count)
            {
                throw new InvalidOperationException($"The commit returned {results.Count} results for {batch.Count} items.");
            }
        }
        catch (Exception e)
        {
            if (failCallers)
            {
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(e);
                }
            }

            return false;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Done.TrySetResult(results[i]);
        }

        return true;
    }

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Done);
}
