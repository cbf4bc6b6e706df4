using SocketHub.Protocol.Framing;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Pipeline;

/// <summary>What an unfinished frame (no terminator yet) means when the client closes its side.</summary>
public enum UnfinishedAtClose
{
    /// <summary>Dropped: only terminated frames are requests (the board).</summary>
    Dropped,

    /// <summary>A request when any bytes came (<c>printf '#gk##' | nc -N</c> on the crypto port, a chat line).</summary>
    RequestIfAny,

    /// <summary>Always a request, even empty: the history server answers whatever came before the close.</summary>
    Request,
}

/// <summary>How a dialect's requests arrive; immutable, one per dialect.</summary>
public sealed record DialectReading(Func<IFrameDecoder> NewDecoder, TimeSpan IdleTimeout)
{
    /// <summary>Blank space before a frame is skipped and does not count as waiting data (the board's line ends).</summary>
    public bool SkipsBlank { get; init; }

    public UnfinishedAtClose UnfinishedAtClose { get; init; } = UnfinishedAtClose.Dropped;

    /// <summary>An empty frame is no request (Enter pressed twice): skipped, not counted, not answered.</summary>
    public bool IgnoresEmptyFrames { get; init; }

    /// <summary>
    /// Before login the time limit is a total for the whole login, not per frame: a slow sender
    /// cannot stretch it with one byte at a time. <see cref="DialectReader.LoggedIn"/> ends it.
    /// </summary>
    public TimeSpan? LoginTimeout { get; init; }

    /// <summary>
    /// Optional: asked once when a read ends inside a frame; how long the rest may take, or null
    /// for the idle timeout (see <see cref="FrameReader.UnfinishedFrameTimeout"/>).
    /// </summary>
    public Func<DialectReader, TimeSpan?>? UnfinishedFrameTimeout { get; init; }
}

/// <summary>What <see cref="DialectReader.ReadAsync"/> ended with.</summary>
public enum DialectRead
{
    /// <summary>A request is in <see cref="DialectReader.Frame"/> (counted for /audit).</summary>
    Request,

    /// <summary>The client sent more than the dialect's limit; answer, then <see cref="DialectReader.LingerAsync"/>.</summary>
    TooLong,

    /// <summary>Bytes that cannot be a frame of the dialect (a bad length header).</summary>
    Invalid,

    /// <summary>The idle time (or the login's total time) ran out.</summary>
    TimedOut,

    /// <summary>The client closed its side; nothing more will come.</summary>
    Closed,

    /// <summary>The server is stopping, or the connection was told to end.</summary>
    Stopping,
}

/// <summary>
/// The read half of every dialect: frames from the shared <see cref="FrameReader"/> turned into
/// requests, with the read outcomes, the unfinished frame at close, the login's total time, the
/// request counter and the linger after a refusal decided here once, for every dialect.
/// </summary>
public sealed class DialectReader : IDisposable
{
    /// <summary>How long a sender of a refused frame may keep sending after its error before we close.</summary>
    public static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);

    private readonly FrameReader _frames;
    private readonly DialectReading _reading;
    private readonly DialectStats _stats;
    private readonly TimeProvider _time;
    private readonly long _started;
    private bool _loggingIn;
    private bool _closed;

    /// <param name="stopping">Ends reads with <see cref="DialectRead.Stopping"/>: the server's stop, or the connection's own end signal.</param>
    public DialectReader(DialectConnection connection, DialectReading reading, TimeProvider time, CancellationToken stopping)
    {
        _reading = reading;
        _stats = connection.Stats;
        _time = time;
        _started = time.GetTimestamp();
        _loggingIn = reading.LoginTimeout is not null;
        _frames = new FrameReader(
            connection.Input, reading.NewDecoder(), reading.LoginTimeout ?? reading.IdleTimeout, time, stopping, reading.SkipsBlank);
        if (reading.UnfinishedFrameTimeout is { } unfinished)
        {
            _frames.UnfinishedFrameTimeout = () => unfinished(this);
        }
    }

    /// <summary>The request from the last <see cref="DialectRead.Request"/>; valid until the next read.</summary>
    public DialectFrame Frame { get; private set; }

    /// <summary>The frame decoder's state, for dialects that read more than the frame (the secure chat's header problem).</summary>
    public FrameReader Frames => _frames;

    /// <summary>See <see cref="FrameReader.HasBufferedData"/>.</summary>
    public bool HasBufferedData => _frames.HasBufferedData;

    /// <summary>See <see cref="FrameReader.LineEndSeen"/>.</summary>
    public bool LineEndSeen => _frames.LineEndSeen;

    /// <summary>From now on the idle timeout applies, restarted by each request.</summary>
    public void LoggedIn()
    {
        _loggingIn = false;
        _frames.ResetIdleTimeout(_reading.IdleTimeout);
    }

    public async ValueTask<DialectRead> ReadAsync()
    {
        if (_closed)
        {
            return DialectRead.Closed;
        }

        var outcome = await _frames.ReadAsync();
        while (outcome == ReadOutcome.Frame && _reading.IgnoresEmptyFrames && _frames.Frame.IsEmpty)
        {
            outcome = await _frames.ReadAsync();
        }

        switch (outcome)
        {
            case ReadOutcome.Frame:
                Frame = new DialectFrame(_frames.Frame, atEnd: false);
                break;
            case ReadOutcome.Closed when _reading.UnfinishedAtClose == UnfinishedAtClose.Request
                || (_reading.UnfinishedAtClose == UnfinishedAtClose.RequestIfAny && !_frames.Pending.IsEmpty):
                // No terminator, then the close (nc -N, shutdown(SHUT_WR)): what came is the last request.
                _closed = true;
                Frame = new DialectFrame(_frames.Pending, atEnd: true);
                break;
            case ReadOutcome.Closed:
                _closed = true;
                return DialectRead.Closed;
            case ReadOutcome.TooLong:
                return DialectRead.TooLong;
            case ReadOutcome.Invalid:
                return DialectRead.Invalid;
            case ReadOutcome.TimedOut:
                return DialectRead.TimedOut;
            default:
                return DialectRead.Stopping;
        }

        if (_loggingIn)
        {
            var left = _reading.LoginTimeout!.Value - _time.GetElapsedTime(_started);
            _frames.ResetIdleTimeout(left > TimeSpan.FromMilliseconds(1) ? left : TimeSpan.FromMilliseconds(1));
        }

        _stats.RequestHandled();
        return DialectRead.Request;
    }

    /// <summary>
    /// After refusing a frame: reads and drops what the client still sends for a moment, so that
    /// closing with unread data does not reset the connection before the refusal arrives.
    /// </summary>
    public Task LingerAsync() => _frames.DiscardUntilClosedAsync(LingerTimeout);

    public void Dispose() => _frames.Dispose();
}
