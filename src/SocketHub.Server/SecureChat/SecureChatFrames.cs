using SocketHub.Protocol.SecureChat;
using SocketHub.Server.Pipeline;

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
/// Reads one connection's frames through the shared <see cref="DialectReader"/> (idle and login
/// timeouts, shutdown, counting, one buffer bounded by the largest payload) with the secure
/// chat's header decoder, and says why reading ended in the dialect's terms.
/// </summary>
public sealed class SecureChatFrames(DialectReader reader, SecureChatFrameDecoder decoder)
{
    /// <summary>Why the last <see cref="ReadAsync"/> returned null.</summary>
    public SecureChatEnd End { get; private set; }

    /// <summary>For <see cref="SecureChatEnd.BadHeader"/>: why, in words.</summary>
    public string Problem => End == SecureChatEnd.TooLong
        ? $"a header announced {decoder.AnnouncedLength} bytes; at most {decoder.MaxPayload} are read"
        : decoder.Problem ?? string.Empty;

    /// <summary>From the next frame on, headers are base64 (every frame after the key exchange is).</summary>
    public void Encrypted() => decoder.Header = SecureChatHeader.Base64;

    /// <summary>From now on the idle timeout applies, restarted by each frame.</summary>
    public void LoggedIn() => reader.LoggedIn();

    /// <summary>The next frame's payload, or null when the connection is over (see <see cref="End"/>).</summary>
    public async Task<ReadOnlyMemory<byte>?> ReadAsync()
    {
        switch (await reader.ReadAsync())
        {
            case DialectRead.Request:
                return reader.Frame.Bytes;
            case DialectRead.TimedOut:
                End = SecureChatEnd.TimedOut;
                return null;
            case DialectRead.TooLong:
                End = SecureChatEnd.TooLong;
                return null;
            case DialectRead.Invalid:
                End = SecureChatEnd.BadHeader;
                return null;
            case DialectRead.Stopping:
                End = SecureChatEnd.Stopped;
                return null;
            default:
                End = SecureChatEnd.Closed;
                return null;
        }
    }

    /// <summary>
    /// After a refused frame: reads and drops what the client still sends for a moment, so that
    /// closing with unread data does not reset the connection before our last words arrive.
    /// </summary>
    public Task LingerAsync() => reader.LingerAsync();
}
