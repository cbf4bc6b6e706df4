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

    /// <summary>The client sent bytes that cannot be a frame of the dialect (see the decoder for why).</summary>
    Invalid,

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
    private readonly IFrameDecoder _decoder;
    private readonly bool _skipsBlank;
    private readonly TimeProvider _time;
    private TimeSpan _idleTimeout;
    private DateTimeOffset _idleDeadline;
    private bool _unfinishedTimerSet;
    private CancellationTokenSource _idle;
    private readonly CancellationToken _stopping;
    private CancellationTokenRegistration _onIdle;
    private readonly CancellationTokenRegistration _onStopping;

    public FrameReader(PipeReader input, FrameOptions framing, TimeSpan idleTimeout, TimeProvider time, CancellationToken stopping)
        : this(input, new FrameDecoder(framing), idleTimeout, time, stopping, framing.SkipLeadingWhitespace)
    {
    }

    /// <summary>A reader with a decoder of its own kind (the chat JSON port reads whole JSON objects).</summary>
    public FrameReader(PipeReader input, IFrameDecoder decoder, TimeSpan idleTimeout, TimeProvider time, CancellationToken stopping, bool skipsBlank = false)
    {
        _input = input;
        _decoder = decoder;
        _skipsBlank = skipsBlank;
        _time = time;
        _idleTimeout = idleTimeout;
        _idleDeadline = time.GetUtcNow() + idleTimeout;
        _stopping = stopping;
        (_idle, _onIdle) = NewIdleTimer(idleTimeout);
        _onStopping = stopping.UnsafeRegister(static state => ((PipeReader)state!).CancelPendingRead(), input);
    }

    /// <summary>The frame from the last <see cref="ReadOutcome.Frame"/>; valid until the next read.</summary>
    public ReadOnlyMemory<byte> Frame => _decoder.Frame;

    /// <summary>After <see cref="ReadOutcome.Closed"/>: the bytes of an unfinished frame, if any.</summary>
    public ReadOnlyMemory<byte> Pending => _decoder.HasPending ? _decoder.Frame : ReadOnlyMemory<byte>.Empty;

    /// <summary>
    /// True when bytes that arrived with the last frame are still waiting to be read; blank space
    /// the framing skips before a frame (the board's line ends) does not count.
    /// </summary>
    public bool HasBufferedData { get; private set; }

    /// <summary>
    /// True once any byte the client sent (read so far, including bytes buffered after the last
    /// frame) was a CR or LF: the sign of a person at a terminal, who presses Enter. It stays true.
    /// </summary>
    public bool LineEndSeen { get; private set; }

    /// <summary>
    /// Optional: asked when a read ends inside a frame (its first bytes have come, its terminator
    /// not yet). It returns how long the rest may take, or null to keep the idle timeout. Asked
    /// once per frame; the time never reaches past the idle timeout, and expiry is
    /// <see cref="ReadOutcome.TimedOut"/> as for the idle timeout.
    /// </summary>
    public Func<TimeSpan?>? UnfinishedFrameTimeout { get; set; }

    /// <summary>
    /// Changes the idle timeout from now on and restarts it (the chat allows a short time to log
    /// in, then a longer idle time; and the login time is a total, not per line).
    /// </summary>
    public void ResetIdleTimeout(TimeSpan timeout)
    {
        _idleTimeout = timeout;
        _idleDeadline = _time.GetUtcNow() + timeout;
        _unfinishedTimerSet = false;
        RestartIdleTimer(timeout);
    }

    /// <summary>
    /// Restarts the idle timer. A timer that has already fired cannot be restarted (CancelAfter
    /// does nothing then): it is replaced. That happens when the time ran out while the caller
    /// was busy and not reading, e.g. the chat's login time during a slow password hash, just
    /// before the welcome sets the idle time; without this the next read would report a
    /// timeout at once. A pending-read cancel the old timer left behind is skipped by ReadAsync.
    /// </summary>
    private void RestartIdleTimer(TimeSpan timeout)
    {
        // Not TryReset: it also drops the registration that cancels the pending read.
        if (!_idle.IsCancellationRequested)
        {
            _idle.CancelAfter(timeout);
            return;
        }

        _onIdle.Dispose();
        _idle.Dispose();
        (_idle, _onIdle) = NewIdleTimer(timeout);
    }

    private (CancellationTokenSource, CancellationTokenRegistration) NewIdleTimer(TimeSpan timeout)
    {
        var idle = new CancellationTokenSource(timeout, _time);
        return (idle, idle.Token.UnsafeRegister(static state => ((PipeReader)state!).CancelPendingRead(), _input));
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
            if (!LineEndSeen && (buffer.PositionOf((byte)'\n') is not null || buffer.PositionOf((byte)'\r') is not null))
            {
                LineEndSeen = true;
            }

            var reader = new SequenceReader<byte>(buffer);
            var status = _decoder.Decode(ref reader);
            HasBufferedData = _skipsBlank ? HoldsMoreThanBlank(reader) : reader.Remaining > 0;

            if (status == FrameStatus.NeedMore)
            {
                _input.AdvanceTo(reader.Position, buffer.End);
                if (result.IsCompleted)
                {
                    return ReadOutcome.Closed;
                }

                StartUnfinishedTimer();
                continue;
            }

            // Examined only up to what was consumed, so the next read returns the rest at once.
            _input.AdvanceTo(reader.Position);
            if (status == FrameStatus.TooLong)
            {
                return ReadOutcome.TooLong;
            }

            if (status == FrameStatus.Invalid)
            {
                return ReadOutcome.Invalid;
            }

            RestartIdleTimer(_idleTimeout);
            _idleDeadline = _time.GetUtcNow() + _idleTimeout;
            _unfinishedTimerSet = false;
            return ReadOutcome.Frame;
        }
    }

    private static bool HoldsMoreThanBlank(SequenceReader<byte> rest)
    {
        rest.AdvancePastAny((byte)' ', (byte)'\t', (byte)'\r', (byte)'\n');
        return !rest.End;
    }

    /// <summary>The first time a read ends inside a frame, the rest may get a shorter time than the idle timeout.</summary>
    private void StartUnfinishedTimer()
    {
        if (_unfinishedTimerSet || !_decoder.HasPending || UnfinishedFrameTimeout?.Invoke() is not { } allowed)
        {
            return;
        }

        _unfinishedTimerSet = true;
        var left = _idleDeadline - _time.GetUtcNow();
        if (allowed < left)
        {
            _idle.CancelAfter(allowed);
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
        RestartIdleTimer(linger);
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
