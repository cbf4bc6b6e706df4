using SocketHub.Protocol.Chat;
using SocketHub.Server.Hosting;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.Chat;

/// <summary>
/// One chat connection's lines as text, read through the shared <see cref="DialectReader"/>
/// (login and idle time, counting, the unfinished last line, the linger), answering in the chat's
/// words what is not a usable line: invalid UTF-8 (the connection stays), a line over the limit,
/// the login time or idle time running out (the connection ends).
/// </summary>
public sealed class ChatLines(DialectReader reader, ChatSession session, DialectStats stats, ILogger logger, string tooLong = ChatTexts.LineTooLong)
{
    private bool _loggedIn;

    /// <summary>From now on the idle timeout applies, restarted by each line the user sends.</summary>
    public void LoggedIn()
    {
        _loggedIn = true;
        reader.LoggedIn();
    }

    /// <summary>
    /// The next line, or null when the connection is over. After an encoding error,
    /// <paramref name="reprompt"/> (if any) is sent again.
    /// </summary>
    public async Task<string?> ReadAsync(ChatPrompt? reprompt = null)
    {
        while (true)
        {
            switch (await reader.ReadAsync())
            {
                case DialectRead.Request:
                    break;
                case DialectRead.TooLong:
                    stats.ErrorReplied();
                    ChatLog.LineTooLong(logger, session.Remote);
                    session.EnqueueLast(ChatReply.Fail(null, tooLong));
                    await reader.LingerAsync();
                    return null;
                case DialectRead.TimedOut:
                    session.EnqueueLast(_loggedIn ? ChatEvent.Server(ChatTexts.Inactivity) : ChatReply.Fail(null, ChatTexts.LoginTimedOut));
                    return null;
                default:
                    return null;
            }

            if (reader.Frame.TryGetText(out var text))
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
    }
}
