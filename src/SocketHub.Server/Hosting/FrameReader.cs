using System.Buffers;
using System.IO.Pipelines;
using SocketHub.Protocol.Framing;

namespace SocketHub.Server.Hosting;

/// <summary>What <see cref="FrameReader.ReadAsync"/> ended with.</summary>
public enum ReadOutcome
{
    /// <summary>A complete frame is in <see cref="FrameReader.Frame"/>.</summary>
    Frame,

    /// <summary>The client sent more than the dialect's maximum without a terminator.</summary>
    TooLong,

    /// <summary>No complete frame arrived within the idle timeout.</summary>
    TimedOut,

    /// <summary>The client closed (or half-closed) its side; <see cref="FrameReader.Pending"/> holds any unfinished frame.</summary>
    Closed,

    /// <summary>The server is shutting down.</summary>
    Stopping,
}

/// <summary>
/// The one read loop every dialect uses. It owns every <c>AdvanceTo</c> call, applies the
/// dialect's framing and maximum frame size, and enforces the idle timeout by cancelling the
/// pending read from a timer (no thread waits per connection; Kestrel's HTTP timeouts do not
/// apply to raw TCP). The buffer is parsed before end-of-stream is checked, so the last command
/// of <c>printf 'GET%%' | nc -N host 8080</c> is never dropped.
/// </summary>
public sealed class FrameReader : IDisposable
{
    private readonly PipeReader _input;
    private readonly FrameDecoder _decoder;
    private TimeSpan _idleTimeout;
    private readonly CancellationTokenSource _idle;
    private readonly CancellationToken _stopping;
    private readonly CancellationTokenRegistration _onIdle;
    private readonly CancellationTokenRegistration _onStopping;

    public FrameReader(PipeReader input, FrameOptions framing, TimeSpan idleTimeout, TimeProvider time, CancellationToken stopping)
    {
        _input = input;
        _decoder = new FrameDecoder(framing);
        _idleTimeout = idleTimeout;
        _stopping = stopping;
        _idle = new CancellationTokenSource(idleTimeout, time);
        _onIdle = _idle.Token.UnsafeRegister(static state => ((PipeReader)state!).CancelPendingRead(), input);
        _onStopping = stopping.UnsafeRegister(static state => ((PipeReader)state!).CancelPendingRead(), input);
    }

    /// <summary>The frame from the last <see cref="ReadOutcome.Frame"/>; valid until the next read.</summary>
    public ReadOnlyMemory<byte> Frame => _decoder.Frame;

    /// <summary>After <see cref="ReadOutcome.Closed"/>: the bytes of an unfinished frame, if any.</summary>
    public ReadOnlyMemory<byte> Pending => _decoder.HasPending ? _decoder.Frame : ReadOnlyMemory<byte>.Empty;

    /// <summary>True when bytes that arrived with the last frame are still waiting to be read.</summary>
    public bool HasBufferedData { get; private set; }

    /// <summary>
    /// Changes the idle timeout from now on and restarts it (the chat allows a short time to log
    /// in, then a longer idle time; and the login time is a total, not per line).
    /// </summary>
    public void ResetIdleTimeout(TimeSpan timeout)
    {
        _idleTimeout = timeout;
        _idle.CancelAfter(timeout);
    }

    public async ValueTask<ReadOutcome> ReadAsync()
    {
        while (true)
        {
            var result = await _input.ReadAsync();
            if (result.IsCanceled)
            {
                _input.AdvanceTo(result.Buffer.Start);
                if (_stopping.IsCancellationRequested)
                {
                    return ReadOutcome.Stopping;
                }

                if (_idle.IsCancellationRequested)
                {
                    return ReadOutcome.TimedOut;
                }

                continue;
            }

            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            var status = _decoder.Decode(ref reader);
            HasBufferedData = reader.Remaining > 0;

            if (status == FrameStatus.NeedMore)
            {
                _input.AdvanceTo(reader.Position, buffer.End);
                if (result.IsCompleted)
                {
                    return ReadOutcome.Closed;
                }

                continue;
            }

            // Examined only up to what was consumed, so the next read returns the rest at once.
            _input.AdvanceTo(reader.Position);
            if (status == FrameStatus.TooLong)
            {
                return ReadOutcome.TooLong;
            }

            _idle.CancelAfter(_idleTimeout);
            return ReadOutcome.Frame;
        }
    }

    /// <summary>
    /// Before closing on a client that may still be sending (after "too long"): reads and drops
    /// what it sends until it closes its side, <paramref name="linger"/> passes or a byte cap is
    /// reached. Closing a socket with unread data makes the kernel send a reset, which can destroy
    /// the error reply before the client has read it; draining first lets the reply arrive.
    /// </summary>
    public async Task DiscardUntilClosedAsync(TimeSpan linger)
    {
        const long maxDiscarded = 16 * 1024 * 1024;
        _idle.CancelAfter(linger);
        long discarded = 0;
        while (discarded <= maxDiscarded)
        {
            var result = await _input.ReadAsync();
            discarded += result.Buffer.Length;
            _input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _onIdle.Dispose();
        _onStopping.Dispose();
        _idle.Dispose();
    }
}
