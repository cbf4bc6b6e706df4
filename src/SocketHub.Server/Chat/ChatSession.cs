using System.Buffers;
using System.IO.Pipelines;
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
    private readonly Action<ChatOutput, IBufferWriter<byte>> _format;
    private readonly Channel<ChatOutput> _queue;
    private readonly CancellationTokenSource _killed = new();
    private Task _writer = Task.CompletedTask;
    private int _ended;
    private int _overflowed;

    public ChatSession(ConnectionContext connection, Action<ChatOutput, IBufferWriter<byte>> format, int queueLimit, string remote, bool isJson)
    {
        _connection = connection;
        _format = format;
        Remote = remote;
        IsJson = isJson;
        _queue = Channel.CreateBounded<ChatOutput>(new BoundedChannelOptions(queueLimit)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full; nobody ever waits
        });
    }

    /// <summary>The remote IP address, as text.</summary>
    public string Remote { get; }

    public bool IsJson { get; }

    /// <summary>The dialect's name for the activity feed, when it is neither chat dialect (the secure chat).</summary>
    public string? DialectName { get; init; }

    /// <summary>Set once logged in (and then in the room).</summary>
    public string? User { get; set; }

    /// <summary>The port a JSON client said it listens on for peer-to-peer chats.</summary>
    public int? P2pPort { get; set; }

    /// <summary>Users this session has a private chat with, and the session it was started with. Guarded by the room's lock.</summary>
    public Dictionary<string, ChatSession> PrivatePeers { get; } = new(StringComparer.Ordinal);

    /// <summary>Cancelled when the session was disconnected for not reading.</summary>
    public CancellationToken Killed => _killed.Token;

    /// <summary>True once the queue overflowed and the client is being disconnected.</summary>
    public bool Overflowed => Volatile.Read(ref _overflowed) != 0;

    public void StartWriter(PipeWriter output) => _writer = WriteLoopAsync(output);

    /// <summary>Queues a line for this client without waiting. A full queue disconnects the client.</summary>
    public bool TryEnqueue(ChatOutput output)
    {
        // What the text dialect does not print takes no place in its queue.
        if (!IsJson && output.Message.Length == 0)
        {
            return true;
        }

        if (_queue.Writer.TryWrite(output))
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
    /// Queues a line of this session's own backlog, waiting while the queue is full (for as long
    /// as <paramref name="cancellationToken"/> allows); false when it could not be queued.
    /// </summary>
    public async Task<bool> EnqueueWhenRoomAsync(ChatOutput output, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(output, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is ChannelClosedException or OperationCanceledException)
        {
            return false;
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
                while (batched++ < MaxBatch && reader.TryRead(out var item))
                {
                    _format(item, output);
                }

                var result = await output.FlushAsync();
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
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
        }
    }
}
