using System.Globalization;

namespace SocketHub.Protocol.Board;

/// <summary>
/// The board's requests as a session client writes them, and its list reply as a client reads it.
/// Each command ends with <c>%</c> and a line end, as a person typing in nc sends it: the line end
/// keeps the connection open for the next command (without one the server answers and closes, the
/// original's life cycle).
/// </summary>
public static class BoardRequests
{
    public const string ListPrefix = "MSG[";

    /// <summary><c>POST&lt;text&gt;%\n</c>. The text may not hold <c>%</c>, which would end the command.</summary>
    public static string Post(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains('%', StringComparison.Ordinal))
        {
            throw new ArgumentException("A board message cannot contain '%'.", nameof(text));
        }

        return $"POST{text}%\n";
    }

    /// <summary><c>GET%\n</c>, or <c>GET&lt;n&gt;%\n</c> for the messages after id n.</summary>
    public static string Get(long? sinceId = null) =>
        sinceId is { } id ? string.Create(CultureInfo.InvariantCulture, $"GET{id}%\n") : "GET%\n";

    /// <summary>
    /// Reads a reply frame (without its <c>%</c>) that should be a list: <c>MSG[(1, 'a'), ...]</c>.
    /// False for anything else (an <c>ERR...</c> reply or a malformed list).
    /// </summary>
    public static bool TryParseList(string frame, out IReadOnlyList<(long Id, string Text)> messages)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!frame.StartsWith(ListPrefix, StringComparison.Ordinal))
        {
            messages = [];
            return false;
        }

        return PythonLiteral.TryParseMessageList(frame[3..], out messages);
    }
}
