using SocketHub.Protocol.Framing;
using SocketHub.Protocol.SecureChat;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.SecureChat;

/// <summary>Why a secure chat connection stopped reading.</summary>
public enum SecureChatEnd
{
    /// <summary>The client closed its side.</summary>
    Closed,

    /// <summary>The login took too long, or a logged-in user said nothing for too long.</summary>
    TimedOut,

    /// <summary>A header announced more than the maximum payload.</summary>
    TooLong,

    /// <summary>A header that is no length.</summary>
    BadHeader,

    /// <summary>The server is stopping, or the session was disconnected for not reading.</summary>
    Stopped,
}

/// <summary>
/// Reads one connection's frames with the shared <see cref="FrameReader"/> (idle timeout,
/// shutdown, one buffer bounded by the largest payload) and the secure chat's header decoder.
/// Before login the time limit is a total for login and key exchange together, not per frame.
/// </summary>
public sealed class SecureChatFrames(FrameReader reader, SecureChatFrameDecoder decoder, DialectStats stats, TimeProvider time, TimeSpan loginTimeout)
{
    /// <summary>How long a sender of a refused frame may keep sending before we close.</summary>
    private static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);

    private readonly long _started = time.GetTimestamp();
    private bool _loggedIn;

    /// <summary>Why the last <see cref="ReadAsync"/> returned null.</summary>
    public SecureChatEnd End { get; private set; }

    /// <summary>For <see cref="SecureChatEnd.BadHeader"/>: why, in words.</summary>
    public string Problem => End == SecureChatEnd.TooLong
        ? $"a header announced {decoder.AnnouncedLength} bytes; at most {decoder.MaxPayload} are read"
        : decoder.Problem ?? string.Empty;

    /// <summary>From the next frame on, headers are base64 (every frame after the key exchange is).</summary>
    public void Encrypted() => decoder.Header = SecureChatHeader.Base64;

    /// <summary>From now on the idle timeout applies, restarted by each frame.</summary>
    public void LoggedIn(TimeSpan idleTimeout)
    {
        _loggedIn = true;
        reader.ResetIdleTimeout(idleTimeout);
    }

    /// <summary>The next frame's payload, or null when the connection is over (see <see cref="End"/>).</summary>
    public async Task<ReadOnlyMemory<byte>?> ReadAsync()
    {
        switch (await reader.ReadAsync())
        {
            case ReadOutcome.Frame:
                break;
            case ReadOutcome.TimedOut:
                End = SecureChatEnd.TimedOut;
                return null;
            case ReadOutcome.TooLong:
                End = SecureChatEnd.TooLong;
                return null;
            case ReadOutcome.Invalid:
                End = SecureChatEnd.BadHeader;
                return null;
            case ReadOutcome.Stopping:
                End = SecureChatEnd.Stopped;
                return null;
            default:
                End = SecureChatEnd.Closed;
                return null;
        }

        if (!_loggedIn)
        {
            var left = loginTimeout - time.GetElapsedTime(_started);
            reader.ResetIdleTimeout(left > TimeSpan.FromMilliseconds(1) ? left : TimeSpan.FromMilliseconds(1));
        }

        stats.RequestHandled();
        return reader.Frame;
    }

    /// <summary>
    /// After a refused frame: reads and drops what the client still sends for a moment, so that
    /// closing with unread data does not reset the connection before our last words arrive.
    /// </summary>
    public Task LingerAsync() => reader.DiscardUntilClosedAsync(LingerTimeout);
}
