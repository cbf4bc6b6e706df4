using System.Threading.Channels;
using SocketHub.Server.Data;
using Xunit;

namespace SocketHub.Server.Tests.Data;

/// <summary>
/// The group commit both database writers use. The first commit of each test is held at a gate
/// while more work is submitted, so what gathers into the next batch is known exactly.
/// </summary>
public sealed class GroupCommitterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Work_that_gathers_during_a_commit_is_committed_together_and_nobody_hears_before_the_commit()
    {
        var store = new FakeStore();
        await using var committer = new GroupCommitter<int, string>(store.CommitAsync, maxBatch: 10);

        var first = committer.SubmitAsync(1);
        await store.FirstCommitStarted();
        var others = new[] { committer.SubmitAsync(2), committer.SubmitAsync(3), committer.SubmitAsync(4) };

        Assert.False(first.IsCompleted);
        Assert.All(others, task => Assert.False(task.IsCompleted));
        store.ReleaseFirstCommit();

        Assert.Equal("stored 1", await first.WaitAsync(Deadline));
        Assert.Equal(["stored 2", "stored 3", "stored 4"], await Task.WhenAll(others).WaitAsync(Deadline));
        Assert.Equal([[1], [2, 3, 4]], store.Batches);
    }

    [Fact]
    public async Task A_batch_takes_at_most_max_batch_items_in_the_order_they_came()
    {
        var store = new FakeStore();
        await using var committer = new GroupCommitter<int, string>(store.CommitAsync, maxBatch: 2);

        var first = committer.SubmitAsync(0);
        await store.FirstCommitStarted();
        var others = Enumerable.Range(1, 5).Select(committer.SubmitAsync).ToArray();
        store.ReleaseFirstCommit();

        await Task.WhenAll([first, .. others]).WaitAsync(Deadline);
        Assert.Equal([[0], [1, 2], [3, 4], [5]], store.Batches);
    }

    [Fact]
    public async Task A_failed_commit_fails_every_caller_of_its_batch_and_the_next_batch_is_committed()
    {
        var store = new FakeStore { Fails = batch => batch.Contains(3) };
        await using var committer = new GroupCommitter<int, string>(store.CommitAsync, maxBatch: 10);

        var first = committer.SubmitAsync(1);
        await store.FirstCommitStarted();
        var failed = new[] { committer.SubmitAsync(2), committer.SubmitAsync(3), committer.SubmitAsync(4) };
        store.ReleaseFirstCommit();

        Assert.Equal("stored 1", await first.WaitAsync(Deadline));
        var errors = new List<Exception>();
        foreach (var task in failed)
        {
            errors.Add(await Assert.ThrowsAsync<IOException>(() => task.WaitAsync(Deadline)));
        }

        Assert.All(errors, e => Assert.Same(errors[0], e));
        Assert.Equal("stored 5", await committer.SubmitAsync(5).WaitAsync(Deadline));
        Assert.Equal([[1], [2, 3, 4], [5]], store.Batches);
    }

    [Fact]
    public async Task Retrying_alone_commits_each_item_of_a_failed_batch_by_itself_and_fails_only_the_bad_one()
    {
        var store = new FakeStore { Fails = batch => batch.Contains(3) };
        await using var committer = new GroupCommitter<int, string>(store.CommitAsync, maxBatch: 10, retryAloneOnFailure: true);

        var first = committer.SubmitAsync(1);
        await store.FirstCommitStarted();
        var (good, bad, alsoGood) = (committer.SubmitAsync(2), committer.SubmitAsync(3), committer.SubmitAsync(4));
        store.ReleaseFirstCommit();

        Assert.Equal("stored 1", await first.WaitAsync(Deadline));
        Assert.Equal("stored 2", await good.WaitAsync(Deadline));
        await Assert.ThrowsAsync<IOException>(() => bad.WaitAsync(Deadline));
        Assert.Equal("stored 4", await alsoGood.WaitAsync(Deadline));
        Assert.Equal([[1], [2, 3, 4], [2], [3], [4]], store.Batches);
    }

    [Fact]
    public async Task Retrying_alone_does_not_try_a_lone_failed_item_twice()
    {
        var store = new FakeStore { Fails = batch => batch.Contains(1) };
        await using var committer = new GroupCommitter<int, string>(store.CommitAsync, maxBatch: 10, retryAloneOnFailure: true);

        var only = committer.SubmitAsync(1);
        await store.FirstCommitStarted();
        store.ReleaseFirstCommit();

        await Assert.ThrowsAsync<IOException>(() => only.WaitAsync(Deadline));
        Assert.Equal([[1]], store.Batches);
    }

    [Fact]
    public async Task A_commit_that_returns_the_wrong_number_of_results_fails_its_callers()
    {
        var store = new FakeStore { Results = batch => ["one result"] };
        await using var committer = new GroupCommitter<int, string>(store.CommitAsync, maxBatch: 10);

        var first = committer.SubmitAsync(1);
        await store.FirstCommitStarted();
        var (second, third) = (committer.SubmitAsync(2), committer.SubmitAsync(3));
        store.ReleaseFirstCommit();

        Assert.Equal("one result", await first.WaitAsync(Deadline));
        await Assert.ThrowsAsync<InvalidOperationException>(() => second.WaitAsync(Deadline));
        await Assert.ThrowsAsync<InvalidOperationException>(() => third.WaitAsync(Deadline));
    }

    [Fact]
    public async Task Dispose_commits_everything_already_queued_before_it_returns()
    {
        var store = new FakeStore();
        var committer = new GroupCommitter<int, string>(store.CommitAsync, maxBatch: 2);

        var first = committer.SubmitAsync(1);
        await store.FirstCommitStarted();
        var queued = new[] { committer.SubmitAsync(2), committer.SubmitAsync(3), committer.SubmitAsync(4) };
        var disposed = committer.DisposeAsync().AsTask();

        Assert.False(disposed.IsCompleted);
        store.ReleaseFirstCommit();
        await disposed.WaitAsync(Deadline);

        // Everything is committed by the time dispose returns, not merely on its way.
        Assert.Equal([1, 2, 3, 4], store.Committed);
        Assert.Equal("stored 1", await first.WaitAsync(Deadline));
        Assert.Equal(["stored 2", "stored 3", "stored 4"], await Task.WhenAll(queued).WaitAsync(Deadline));
        Assert.Equal([[1], [2, 3], [4]], store.Batches);
    }

    [Fact]
    public async Task Work_submitted_after_dispose_is_refused_and_never_committed()
    {
        var store = new FakeStore();
        var committer = new GroupCommitter<int, string>(store.CommitAsync, maxBatch: 10);
        await committer.DisposeAsync();

        await Assert.ThrowsAsync<ChannelClosedException>(() => committer.SubmitAsync(1));
        Assert.Empty(store.Batches);
    }

    /// <summary>
    /// A stand-in for the database: records each batch it is given and answers "stored n" for item
    /// n. Its first commit waits until the test releases it; <see cref="Fails"/> makes a batch throw.
    /// </summary>
    private sealed class FakeStore
    {
        private readonly TaskCompletionSource _firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _firstReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Every batch committed or tried, in order. Only the commit loop adds to it, one batch at a time.</summary>
        public List<int[]> Batches { get; } = [];

        /// <summary>Every item whose commit has returned without error, in order.</summary>
        public List<int> Committed { get; } = [];

        public Func<IReadOnlyList<int>, bool> Fails { get; init; } = _ => false;

        public Func<IReadOnlyList<int>, IReadOnlyList<string>> Results { get; init; } = batch => batch.Select(i => $"stored {i}").ToList();

        public Task FirstCommitStarted() => _firstStarted.Task.WaitAsync(Deadline);

        public void ReleaseFirstCommit() => _firstReleased.SetResult();

        public async Task<IReadOnlyList<string>> CommitAsync(IReadOnlyList<int> batch)
        {
            Batches.Add([.. batch]);
            if (Batches.Count == 1)
            {
                _firstStarted.SetResult();
                await _firstReleased.Task;
            }

            if (Fails(batch))
            {
                throw new IOException("disk I/O error");
            }

            Committed.AddRange(batch);
            return Results(batch);
        }
    }
}
