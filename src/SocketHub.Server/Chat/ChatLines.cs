using SocketHub.Protocol.Chat;
using SocketHub.Protocol.Text;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Chat;

/// <summary>
/// Reads one connection's lines as text, answering what is not a usable line itself: invalid
/// UTF-8 (the connection stays), a line over 1024 bytes, the login time or idle time running out
/// (the connection ends). Before login the time limit is a total for the whole login, not per line.
/// </summary>
public sealed class ChatLines(
    FrameReader reader,
    ChatSession session,
    DialectStats stats,
    TimeProvider time,
    TimeSpan loginTimeout,
    ILogger logger,
    string tooLong = ChatTexts.LineTooLong)
{
    /// <summary>How long a sender of an over-long line may keep sending after its error before we close.</summary>
    private static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);

    private readonly long _started = time.GetTimestamp();
    private bool _loggedIn;
    private bool _atEnd;

    /// <summary>From now on the idle timeout applies, restarted by each line the user sends.</summary>
    public void LoggedIn(TimeSpan idleTimeout)
    {
        _loggedIn = true;
        reader.ResetIdleTimeout(idleTimeout);
    }

    /// <summary>
    /// The next line, or null when the connection is over. After an encoding error,
    /// <paramref name="reprompt"/> (if any) is sent again.
    /// </summary>
    public async Task<string?> ReadAsync(ChatPrompt? reprompt = null)
    {
        while (!_atEnd)
        {
            ReadOnlyMemory<byte> frame;
            switch (await reader.ReadAsync())
            {
                case ReadOutcome.Frame:
                    frame = reader.Frame;
                    break;
                case ReadOutcome.Closed when !reader.Pending.IsEmpty:
                    // The last line of `printf '...' | nc -N` may lack its line end.
                    _atEnd = true;
                    frame = reader.Pending;
                    break;
                case ReadOutcome.TooLong:
                    stats.ErrorReplied();
                    ChatLog.LineTooLong(logger, session.Remote);
                    session.EnqueueLast(ChatReply.Fail(null, tooLong));
                    await reader.DiscardUntilClosedAsync(LingerTimeout);
                    return null;
                case ReadOutcome.TimedOut:
                    session.EnqueueLast(_loggedIn ? ChatEvent.Server(ChatTexts.Inactivity) : ChatReply.Fail(null, ChatTexts.LoginTimedOut));
                    return null;
                default:
                    return null;
            }

            if (!_loggedIn)
            {
                var left = loginTimeout - time.GetElapsedTime(_started);
                reader.ResetIdleTimeout(left > TimeSpan.FromMilliseconds(1) ? left : TimeSpan.FromMilliseconds(1));
            }

            stats.RequestHandled();
            if (StrictUtf8.TryDecode(frame.Span, out var text))
            {
                return text;
            }

            stats.ErrorReplied();
            session.TryEnqueue(ChatReply.Fail(null, ChatTexts.InvalidEncoding));
            if (reprompt is not null)
            {
                session.TryEnqueue(reprompt);
            }
        }

        return null;
    }
}
