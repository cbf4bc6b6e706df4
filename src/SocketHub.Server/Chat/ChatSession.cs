using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using SocketHub.Protocol.Chat;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Chat;

/// <summary>
/// One chat connection's outgoing side. Everyone (its own handler, other users' broadcasts, the
/// room) only <see cref="TryEnqueue(ChatOutput, int)"/>s into its queue, which never waits; a
/// writer drains the queue into the connection's <see cref="PipeWriter"/> (which allows one
/// writer, and would block a writer past 64 KiB unsent). A client that stops reading fills its
/// queue up to the <see cref="ChatQueueLimit"/> (bytes, and never less than a room burst), and
/// the next enqueue disconnects it instead of making anyone wait.
/// <para>
/// The writer is not a loop waiting on the queue: the first output queued while it is idle puts
/// one drain at the back of the thread pool's global queue, behind the reads of the same burst
/// that are already waiting there. So a room burst (everyone speaking at once) is written to each
/// recipient in one write and one flush, not one per line, and the lines queued meanwhile cost
/// one list append each.
/// </para>
/// </summary>
public sealed class ChatSession : IDisposable
{
    /// <summary>The most one flush takes: a longer queue goes out in several, each after the last was taken.</summary>
    private const int MaxFlushBytes = 64 * 1024;

    private static readonly Action<ChatOutput, IBufferWriter<byte>> TextFormat = ChatTextFormat.Write;
    private static readonly Task<bool> Queued = Task.FromResult(true);
    private static readonly Task<bool> NotQueued = Task.FromResult(false);

    private readonly ConnectionContext _connection;
    private readonly ChatQueueLimit _limit;
    private readonly TimeSpan _objectGap;
    private readonly bool _writesSharedText;
    private readonly Drain _drain;
    private readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The queue. Outputs are appended to _pending; the writer swaps the whole list out at once.
    private readonly Lock _gate = new();
    private List<Outgoing> _pending = [];
    private List<Outgoing>? _spare = [];
    private long _queuedBytes;   // what is queued and not yet written to the connection
    private int _queuedCount;
    private bool _closed;        // no more outputs: the last line was queued, or the queue overflowed
    private bool _scheduled = true;  // a drain is queued or running (or the writer has not started)

    private readonly Lock _receipts = new();
    private long _storedWritten;
    private bool _writerEnded;
    private (long Count, TaskCompletionSource Done)? _storedWaiter;
    private readonly CancellationTokenSource _killed = new();
    private PipeWriter? _output;
    private long? _lastObjectWrite;
    private int _overflowed;

    /// <summary>The outgoing side of <paramref name="connection"/>; its writer starts with <see cref="StartWriter"/>.</summary>
    /// <param name="connection">The client's connection.</param>
    /// <param name="dialect">How the port writes (and what it is called in the activity feed).</param>
    /// <param name="remote">The remote IP address, as text.</param>
    /// <param name="limit">What may wait for the client; one output more disconnects it.</param>
    /// <param name="objectGap">The least time between two objects, when the dialect writes each object alone.</param>
    public ChatSession(ConnectionContext connection, ChatDialect dialect, string remote, ChatQueueLimit limit, TimeSpan objectGap = default)
    {
        _connection = connection;
        _limit = limit;
        _objectGap = objectGap;
        _drain = new Drain(this);
        Dialect = dialect;
        Remote = remote;
        RemotePort = connection.RemoteEndPoint is IPEndPoint endPoint ? endPoint.Port : 0;

        // The text format depends on the output alone, so a port writing with it can send the
        // bytes the room encoded once for everyone.
        _writesSharedText = dialect.Objects is null && dialect.Format.Equals(TextFormat);
    }

    /// <summary>The remote IP address, as text.</summary>
    public string Remote { get; }

    /// <summary>
    /// The client's source port: where the COMP3331 messenger's client listens for peer-to-peer
    /// chats (it binds its listener to the port number of its server connection).
    /// </summary>
    public int RemotePort { get; }

    /// <summary>The port this session speaks.</summary>
    public ChatDialect Dialect { get; }

    /// <summary>Set once the session is in the room (<see cref="EnteredAs"/>).</summary>
    public string? User { get; private set; }

    /// <summary>The port a JSON client said it listens on for peer-to-peer chats.</summary>
    public int? P2pPort { get; set; }

    /// <summary>Cancelled when the session was disconnected for not reading.</summary>
    public CancellationToken Killed => _killed.Token;

    /// <summary>True once the queue overflowed and the client is being disconnected.</summary>
    public bool Overflowed => Volatile.Read(ref _overflowed) != 0;

    /// <summary>The delivery of this session's stored messages, when it has any (see <see cref="ChatBacklog"/>).</summary>
    public Task Backlog { get; set; } = Task.CompletedTask;

    /// <summary>How many stored messages have been written to the client (flushed to the connection), in queue order.</summary>
    public long StoredWritten
    {
        get
        {
            lock (_receipts)
            {
                return _storedWritten;
            }
        }
    }

    /// <summary>Records the account this session is in the room as; once only, after the room let it in.</summary>
    public void EnteredAs(string user)
    {
        if (User is not null)
        {
            throw new InvalidOperationException($"The session is in the room as {User} already.");
        }

        User = user;
    }

    /// <summary>Starts writing what is queued, and from then on whatever is queued.</summary>
    public void StartWriter(PipeWriter output)
    {
        _output = output;
        bool schedule;
        lock (_gate)
        {
            _scheduled = schedule = _pending.Count > 0 || _closed;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_drain, preferLocal: false);
        }
    }

    /// <summary>
    /// Queues a line for this client without waiting. A full queue disconnects the client.
    /// <paramref name="stored"/> says how many stored messages the line carries (the welcome
    /// carries the first page), counted by <see cref="StoredWritten"/> once written.
    /// </summary>
    public bool TryEnqueue(ChatOutput output, int stored = 0)
    {
        // What the port does not print takes no place in its queue.
        if (Dialect.PrintsOnlySentences && output.Message.Length == 0)
        {
            return true;
        }

        return Add(new Outgoing(output, null, ChatQueueLimit.Cost(output), stored), limited: true);
    }

    /// <summary>Queues an event the room sends to many sessions; the text port writes the bytes the room encoded.</summary>
    public bool TryEnqueue(ChatSharedLine line) =>
        Add(new Outgoing(line.Output, _writesSharedText ? line.Text : null, line.Cost, 0), limited: true);

    /// <summary>
    /// Queues the session's last line (goodbye, idle logout, line too long, login timeout) and
    /// closes the queue behind it. The session leaves the room only afterwards, and until then
    /// others may still send it presence lines or messages: without this, a client could be told
    /// "You have been logged out" and then receive "bob logged out".
    /// </summary>
    public void EnqueueLast(ChatOutput output)
    {
        TryEnqueue(output);
        Complete();
    }

    /// <summary>
    /// Queues a stored message for this session, counted by <see cref="StoredWritten"/> once
    /// written. The backlog never queues more than a page at a time, so it is never refused for
    /// the queue's limit (it still counts towards it); false when the session has ended.
    /// </summary>
    public Task<bool> EnqueueStoredAsync(ChatOutput output) =>
        Add(new Outgoing(output, null, ChatQueueLimit.Cost(output), Stored: 1), limited: false) ? Queued : NotQueued;

    /// <summary>
    /// Completes once <paramref name="count"/> stored messages have been written to the client,
    /// or the session's output has ended (then <see cref="StoredWritten"/> says how many were).
    /// </summary>
    public Task WhenStoredWrittenAsync(long count)
    {
        lock (_receipts)
        {
            if (_storedWritten >= count || _writerEnded)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _storedWaiter = (count, done);
            return done.Task;
        }
    }

    /// <summary>
    /// No more output: lets the writer send what is queued, for at most <paramref name="limit"/>,
    /// then aborts the connection if the client is still not taking it.
    /// </summary>
    public async Task CloseAsync(TimeSpan limit)
    {
        Complete();
        if (_output is null)
        {
            return;
        }

        try
        {
            await _writerDone.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            _connection.Abort(new ConnectionAbortedException("The chat client did not read its last lines."));
            await _writerDone.Task.WaitAsync(limit).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    public void Dispose() => _killed.Dispose();

    private bool Add(Outgoing item, bool limited)
    {
        bool added, schedule;
        lock (_gate)
        {
            // After the last line the queue is closed on purpose: not an overflow.
            if (_closed)
            {
                return false;
            }

            // An output alone always fits; behind others, what the limit allows.
            added = !limited || _queuedCount == 0 || _limit.Allows(_queuedBytes + item.Cost, _queuedCount + 1);
            if (added)
            {
                _pending.Add(item);
                _queuedBytes += item.Cost;
                _queuedCount++;
            }
            else
            {
                // Nothing more for a client that does not read; what waits is dropped with it.
                _closed = true;
                _pending.Clear();
                Volatile.Write(ref _overflowed, 1);
            }

            schedule = !_scheduled;
            _scheduled = true;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_drain, preferLocal: false);
        }

        if (!added)
        {
            // Never from the caller's thread: it may be fanning out to the whole room.
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Disconnect(), this, preferLocal: false);
        }

        return added;
    }

    /// <summary>Closes the queue: the writer sends what waits, then ends.</summary>
    private void Complete()
    {
        bool schedule;
        lock (_gate)
        {
            _closed = true;
            schedule = !_scheduled;
            _scheduled = true;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_drain, preferLocal: false);
        }
    }

    private void Disconnect()
    {
        try
        {
            _killed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection ended meanwhile.
        }

        try
        {
            _connection.Abort(new ConnectionAbortedException("The chat client's outgoing queue overflowed."));
        }
        catch (ObjectDisposedException)
        {
            // The connection ended meanwhile.
        }
    }

    /// <summary>
    /// Writes what is queued, batch after batch, until the queue is empty (the writer goes idle:
    /// the next enqueue schedules it again) or closed and empty (the writer ends).
    /// </summary>
    private async Task DrainAsync()
    {
        var output = _output!;
        try
        {
            while (true)
            {
                List<Outgoing> batch;
                lock (_gate)
                {
                    if (_pending.Count == 0)
                    {
                        if (_closed)
                        {
                            break;
                        }

                        _scheduled = false;
                        return;
                    }

                    batch = _pending;
                    _pending = _spare ?? [];
                    _spare = null;
                }

                var open = Dialect.Objects is { } objects
                    ? await WriteObjectsAsync(output, batch, objects)
                    : await WriteLinesAsync(output, batch);
                batch.Clear();
                lock (_gate)
                {
                    _spare = batch;
                }

                if (!open)
                {
                    break;
                }
            }

            WriterEnded(null);
        }
        catch (Exception e) when (ClientGone.Is(e) || e is InvalidOperationException)
        {
            // The client went away; its handler will notice on the read side.
            WriterEnded(null);
        }
        catch (Exception e)
        {
            WriterEnded(e);
        }
    }

    /// <summary>The text ports: the whole batch in one write and one flush, up to <see cref="MaxFlushBytes"/> each.</summary>
    private async ValueTask<bool> WriteLinesAsync(PipeWriter output, List<Outgoing> batch)
    {
        long cost = 0;
        int count = 0, stored = 0;
        foreach (var item in batch)
        {
            if (item.Text is { } text)
            {
                output.Write(text);
            }
            else
            {
                Dialect.Format(item.Output, output);
            }

            cost += item.Cost;
            count++;
            stored += item.Stored;
            if (cost >= MaxFlushBytes)
            {
                if (!await FlushAsync(output, cost, count, stored))
                {
                    return false;
                }

                (cost, count, stored) = (0, 0, 0);
            }
        }

        return count == 0 || await FlushAsync(output, cost, count, stored);
    }

    /// <summary>
    /// The JSON port: each object in a write of its own, and the next one no sooner than the gap
    /// after it. The original client reads one object per <c>recv(1024)</c>: two objects sent
    /// back to back can arrive in one segment and be read together, which its
    /// <c>json.loads</c> cannot take. The gap only applies between objects that are waiting; a
    /// lone object goes out at once.
    /// </summary>
    private async ValueTask<bool> WriteObjectsAsync(PipeWriter output, List<Outgoing> batch, Func<ChatOutput, IReadOnlyList<byte[]>> objects)
    {
        foreach (var item in batch)
        {
            var all = objects(item.Output);
            for (var i = 0; i < all.Count; i++)
            {
                if (_lastObjectWrite is { } last && _objectGap > TimeSpan.Zero)
                {
                    // Real time on purpose: the gap is about how packets reach a client.
                    var wait = _objectGap - TimeProvider.System.GetElapsedTime(last);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, TimeProvider.System);
                    }
                }

                output.Write(all[i]);
                var isLast = i == all.Count - 1;
                var open = await FlushAsync(output, isLast ? item.Cost : 0, isLast ? 1 : 0, isLast ? item.Stored : 0);
                _lastObjectWrite = TimeProvider.System.GetTimestamp();
                if (!open)
                {
                    return false;
                }
            }

            if (all.Count == 0)
            {
                Sent(item.Cost, 1);
            }
        }

        return true;
    }

    /// <summary>
    /// What was written no longer counts as queued (the connection's pipe holds at most a flush
    /// more than its own 64 KiB, and a flush waits while it does); flushes. False when the
    /// connection is over.
    /// </summary>
    private async ValueTask<bool> FlushAsync(PipeWriter output, long cost, int count, int stored)
    {
        Sent(cost, count);
        var result = await output.FlushAsync();
        if (result.IsCompleted || result.IsCanceled)
        {
            return false;
        }

        if (stored > 0)
        {
            Written(stored);
        }

        return true;
    }

    private void Sent(long cost, int count)
    {
        lock (_gate)
        {
            _queuedBytes -= cost;
            _queuedCount -= count;
        }
    }

    /// <summary>The writer has ended: nothing more is taken, waiting receipts are released.</summary>
    private void WriterEnded(Exception? failure)
    {
        lock (_gate)
        {
            _closed = true;
            _scheduled = true;
            _pending.Clear();
        }

        lock (_receipts)
        {
            _writerEnded = true;
            _storedWaiter?.Done.TrySetResult();
            _storedWaiter = null;
        }

        if (failure is null)
        {
            _writerDone.TrySetResult();
        }
        else
        {
            _writerDone.TrySetException(failure);
        }
    }

    private void Written(int stored)
    {
        lock (_receipts)
        {
            _storedWritten += stored;
            if (_storedWaiter is { } waiter && _storedWritten >= waiter.Count)
            {
                waiter.Done.TrySetResult();
                _storedWaiter = null;
            }
        }
    }

    /// <summary>Runs one drain on the thread pool (a work item of its own, reused: no allocation per wake).</summary>
    private sealed class Drain(ChatSession session) : IThreadPoolWorkItem
    {
        public void Execute() => _ = session.DrainAsync();
    }

    /// <summary>
    /// A queued output: the bytes to write when they were encoded for many sessions at once, what
    /// it costs in the queue, and how many stored messages it carries (counted once written).
    /// </summary>
    private readonly record struct Outgoing(ChatOutput Output, byte[]? Text, int Cost, int Stored);
}
