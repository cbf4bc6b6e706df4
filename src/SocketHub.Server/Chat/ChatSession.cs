using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using SocketHub.Protocol.Chat;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Chat;

/// <summary>
/// One chat connection's outgoing side. Everyone (its own handler, other users' broadcasts, the
/// room) only <see cref="TryEnqueue"/>s into a bounded queue; one writer loop drains it into the
/// connection's <see cref="PipeWriter"/> (which allows one writer, and would block a writer past
/// 64 KiB unsent). A client that stops reading fills its queue, and the next enqueue disconnects
/// it instead of making anyone wait.
/// </summary>
public sealed class ChatSession : IDisposable
{
    private const int MaxBatch = 64;

    private readonly ConnectionContext _connection;
    private readonly Channel<Outgoing> _queue;
    private readonly TimeSpan _objectGap;
    private readonly Lock _receipts = new();
    private long _storedWritten;
    private bool _writerEnded;
    private (long Count, TaskCompletionSource Done)? _storedWaiter;
    private readonly CancellationTokenSource _killed = new();
    private Task _writer = Task.CompletedTask;
    private int _ended;
    private int _overflowed;

    /// <summary>The outgoing side of <paramref name="connection"/>; its writer starts with <see cref="StartWriter"/>.</summary>
    /// <param name="connection">The client's connection.</param>
    /// <param name="dialect">How the port writes (and what it is called in the activity feed).</param>
    /// <param name="remote">The remote IP address, as text.</param>
    /// <param name="queueLimit">Outputs that may wait for the client; one more disconnects it.</param>
    /// <param name="objectGap">The least time between two objects, when the dialect writes each object alone.</param>
    public ChatSession(ConnectionContext connection, ChatDialect dialect, string remote, int queueLimit, TimeSpan objectGap = default)
    {
        _connection = connection;
        _objectGap = objectGap;
        Dialect = dialect;
        Remote = remote;
        RemotePort = connection.RemoteEndPoint is IPEndPoint endPoint ? endPoint.Port : 0;
        _queue = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(queueLimit)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full; nobody ever waits
        });
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

    public void StartWriter(PipeWriter output) =>
        _writer = Dialect.Objects is { } objects ? WriteObjectsLoopAsync(output, objects) : WriteLoopAsync(output);

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

        if (_queue.Writer.TryWrite(new Outgoing(output, stored)))
        {
            return true;
        }

        // After the last line the queue is closed on purpose: not an overflow.
        if (Volatile.Read(ref _ended) == 0
            && !_queue.Reader.Completion.IsCompleted && Interlocked.Exchange(ref _overflowed, 1) == 0)
        {
            // Never from the caller's thread: it may hold the room's lock.
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Disconnect(), this, preferLocal: false);
        }

        return false;
    }

    /// <summary>
    /// Queues the session's last line (goodbye, idle logout, line too long, login timeout) and
    /// closes the queue behind it. The session leaves the room only afterwards, and until then
    /// others may still send it presence lines or messages: without this, a client could be told
    /// "You have been logged out" and then receive "bob logged out".
    /// </summary>
    public void EnqueueLast(ChatOutput output)
    {
        TryEnqueue(output);
        Volatile.Write(ref _ended, 1);
        _queue.Writer.TryComplete();
    }

    /// <summary>
    /// Queues a stored message for this session, counted by <see cref="StoredWritten"/> once
    /// written. The backlog never queues more than a page at a time, so this does not wait for
    /// long; false when the session has ended.
    /// </summary>
    public async Task<bool> EnqueueStoredAsync(ChatOutput output)
    {
        try
        {
            await _queue.Writer.WriteAsync(new Outgoing(output, Stored: 1));
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

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
        _queue.Writer.TryComplete();
        try
        {
            await _writer.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            _connection.Abort(new ConnectionAbortedException("The chat client did not read its last lines."));
            await _writer.WaitAsync(limit).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    public void Dispose() => _killed.Dispose();

    private void Disconnect()
    {
        _queue.Writer.TryComplete();
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
    /// The JSON port's writer: each object in a write of its own, and the next one no sooner than
    /// the gap after it. The original client reads one object per <c>recv(1024)</c>: two objects
    /// sent back to back can arrive in one segment and be read together, which its
    /// <c>json.loads</c> cannot take. The gap only applies between objects that are waiting; a
    /// lone object goes out at once.
    /// </summary>
    private async Task WriteObjectsLoopAsync(PipeWriter output, Func<ChatOutput, IReadOnlyList<byte[]>> objects)
    {
        await Task.Yield();
        var reader = _queue.Reader;
        long? lastWrite = null;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var item))
                {
                    foreach (var bytes in objects(item.Output))
                    {
                        if (lastWrite is { } last && _objectGap > TimeSpan.Zero)
                        {
                            // Real time on purpose: the gap is about how packets reach a client.
                            var wait = _objectGap - TimeProvider.System.GetElapsedTime(last);
                            if (wait > TimeSpan.Zero)
                            {
                                await Task.Delay(wait, TimeProvider.System);
                            }
                        }

                        output.Write(bytes);
                        var result = await output.FlushAsync();
                        lastWrite = TimeProvider.System.GetTimestamp();
                        if (result.IsCompleted || result.IsCanceled)
                        {
                            return;
                        }
                    }

                    if (item.Stored > 0)
                    {
                        Written(item.Stored);
                    }
                }
            }
        }
        catch (Exception e) when (ClientGone.Is(e) || e is InvalidOperationException)
        {
            // The client went away; its handler will notice on the read side.
        }
        finally
        {
            _queue.Writer.TryComplete();
            WriterEnded();
        }
    }

    private async Task WriteLoopAsync(PipeWriter output)
    {
        await Task.Yield();
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                // Whatever has gathered goes out in one flush, up to a batch.
                var batched = 0;
                var stored = 0;
                while (batched++ < MaxBatch && reader.TryRead(out var item))
                {
                    Dialect.Format(item.Output, output);
                    stored += item.Stored;
                }

                var result = await output.FlushAsync();
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }

                if (stored > 0)
                {
                    Written(stored);
                }
            }
        }
        catch (Exception e) when (ClientGone.Is(e) || e is InvalidOperationException)
        {
            // The client went away; its handler will notice on the read side.
        }
        finally
        {
            _queue.Writer.TryComplete();
            WriterEnded();
        }
    }

    private void WriterEnded()
    {
        lock (_receipts)
        {
            _writerEnded = true;
            _storedWaiter?.Done.TrySetResult();
            _storedWaiter = null;
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

    /// <summary>A queued line, and how many stored messages it carries (counted once written).</summary>
    private readonly record struct Outgoing(ChatOutput Output, int Stored);
}
