using System.Diagnostics;
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
/// The callers of one batch are told from one thread-pool work item, one after the other, so a
/// commit wakes one thread rather than one per caller (on a small machine the wake-ups cost more
/// than the callers' continuations, which mostly write a reply), and the loop starts the next
/// commit meanwhile. After a commit that took a millisecond or more, the next batch waits up to a
/// millisecond for as many callers as the last cycle had (see <see cref="GatherAsync"/>).
/// </summary>
/// <typeparam name="TItem">One caller's work.</typeparam>
/// <typeparam name="TResult">What that caller learns once its work is committed.</typeparam>
internal sealed class GroupCommitter<TItem, TResult> : IAsyncDisposable
{
    /// <summary>How many items may wait before callers wait for room (backpressure, not loss).</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>Commits shorter than this are not worth waiting for more callers.</summary>
    private static readonly TimeSpan GatherAfterCommitsOf = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest a batch waits for the last batch's callers (a timer tick or two).</summary>
    private static readonly TimeSpan GatherWait = TimeSpan.FromMilliseconds(1);

    private static readonly Exception NotCommitted = new InvalidOperationException("The work was not committed.");

    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> _commit;
    private readonly int _maxBatch;
    private readonly bool _retryAloneOnFailure;
    private readonly Channel<Pending> _queue;
    private readonly Task _loop;
    private readonly List<TItem> _items;

    /// <param name="commit">
    /// Stores a batch in one transaction and returns one result per item, in the batch's order.
    /// It is only ever called by one loop, never concurrently with itself. The list it gets is
    /// reused for the next batch: it is valid only until the returned task completes.
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
        _items = new List<TItem>(maxBatch);
        _queue = Channel.CreateBounded<Pending>(
            new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _loop = Task.Run(CommitLoopAsync);
    }

    /// <summary>Queues <paramref name="item"/>; completes with its result once the batch holding it has committed.</summary>
    public Task<TResult> SubmitAsync(TItem item)
    {
        var pending = new Pending(item);
        return _queue.Writer.TryWrite(pending) ? pending.Task : WaitForRoomAsync(pending);
    }

    private async Task<TResult> WaitForRoomAsync(Pending pending)
    {
        await _queue.Writer.WriteAsync(pending);
        return await pending.Task;
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
        var expected = 0;
        var lastCommit = TimeSpan.Zero;
        while (await _queue.Reader.WaitToReadAsync())
        {
            Take(batch);
            if (batch.Count < Math.Min(expected, _maxBatch) && lastCommit >= GatherAfterCommitsOf)
            {
                await GatherAsync(batch, Math.Min(expected, _maxBatch));
            }

            var started = Stopwatch.GetTimestamp();
            var retry = _retryAloneOnFailure && batch.Count > 1;
            if (!await TryCommitAsync(batch, failCallers: !retry) && retry)
            {
                foreach (var pending in batch)
                {
                    await TryCommitAsync([pending], failCallers: true);
                }
            }

            lastCommit = Stopwatch.GetElapsedTime(started);

            // The callers' continuations run on one work item while the loop goes on to the next batch.
            var told = batch.ToArray();
            ThreadPool.UnsafeQueueUserWorkItem(static told => Tell(told), told, preferLocal: false);

            // Callers who wait for their result before submitting again (a client waiting for its
            // acknowledgement) come back soon: those just told and those already waiting.
            expected = batch.Count + _queue.Reader.Count;
            batch.Clear();
        }
    }

    private void Take(List<Pending> batch)
    {
        while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var pending))
        {
            batch.Add(pending);
        }
    }

    /// <summary>
    /// Waits a little (<see cref="GatherWait"/> at most) for the callers of the last batch to come
    /// back, so that they share the next commit instead of waiting behind it for the one after.
    /// Without this, callers who each submit again as soon as they are told settle into two groups
    /// that take turns, each waiting out the other's commit: on a disk whose sync takes
    /// milliseconds that halves what the same callers get through.
    /// </summary>
    private async Task GatherAsync(List<Pending> batch, int target)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(GatherWait.TotalSeconds * Stopwatch.Frequency);
        while (batch.Count < target && Stopwatch.GetTimestamp() < deadline)
        {
            var more = _queue.Reader.WaitToReadAsync().AsTask();
            if (!more.IsCompleted && await Task.WhenAny(more, Task.Delay(GatherWait)) != more)
            {
                return;
            }

            if (!await more)
            {
                return; // disposed: commit what there is
            }

            Take(batch);
        }
    }

    /// <summary>Commits one batch; on failure, its callers get the exception only if <paramref name="failCallers"/>.</summary>
    private async Task<bool> TryCommitAsync(List<Pending> batch, bool failCallers)
    {
        IReadOnlyList<TResult> results;
        _items.Clear();
        foreach (var pending in batch)
        {
            _items.Add(pending.Item);
        }

        try
        {
            results = await _commit(_items);
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
                    pending.Outcome = e;
                }
            }

            return false;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Result = results[i];
            batch[i].Outcome = null;
        }

        return true;
    }

    /// <summary>Completes each caller's task with what its commit decided.</summary>
    private static void Tell(Pending[] told)
    {
        foreach (var pending in told)
        {
            if (pending.Outcome is { } error)
            {
                pending.TrySetException(error);
            }
            else
            {
                pending.TrySetResult(pending.Result!);
            }
        }
    }

    /// <summary>
    /// One caller's item and its task (one object per caller). Continuations run synchronously, on
    /// the work item that tells the batch; until then <see cref="Outcome"/> says how it went.
    /// </summary>
    private sealed class Pending(TItem item) : TaskCompletionSource<TResult>
    {
        public TItem Item { get; } = item;

        public TResult? Result { get; set; }

        /// <summary>The commit's exception; <see cref="NotCommitted"/> until a commit has been tried.</summary>
        public Exception? Outcome { get; set; } = NotCommitted;
    }
}
