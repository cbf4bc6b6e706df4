namespace SocketHub.Protocol.History;

/// <summary>What a history request asks for, before the server knows whether the user is valid.</summary>
public enum HistoryOp
{
    /// <summary>Only a user word: the reply carries the clone line and the operations, nothing else.</summary>
    None,

    /// <summary><c>1 &lt;n&gt;</c>: delete history line n.</summary>
    DeleteLine,

    /// <summary><c>2</c>: show the history.</summary>
    Show,

    /// <summary><c>3</c>: delete all history.</summary>
    DeleteAll,

    /// <summary>Any other operation word.</summary>
    Invalid,

    /// <summary><c>new</c> alone: generate a user name.</summary>
    NewUser,

    /// <summary><c>new</c> followed by more words; <c>new</c> must come alone.</summary>
    NewWithExtraWords,

    /// <summary>The request was not valid UTF-8: it is logged (bad bytes shown as U+FFFD) and refused.</summary>
    NotUtf8,
}

/// <summary>
/// One parsed request, <c>&lt;user&gt; [&lt;op&gt; [&lt;n&gt;]]</c>, words separated by any whitespace.
/// Words after the ones an operation uses are ignored, as the original server did.
/// </summary>
/// <param name="User">The first word (empty for an empty request); it works as a password.</param>
/// <param name="Op">The operation.</param>
/// <param name="LineText">For <see cref="HistoryOp.DeleteLine"/>: the line number as typed; null when missing.</param>
/// <param name="Line">
/// For <see cref="HistoryOp.DeleteLine"/>: the number when Python's <c>int()</c> reads the word
/// (see <see cref="PythonInt"/>), clamped to 64 bits; null when it is no integer.
/// </param>
public sealed record HistoryRequest(string User, HistoryOp Op, string? LineText = null, long? Line = null)
{
    public const string NewUserWord = "new";

    /// <summary>
    /// A request whose bytes are not valid UTF-8. It is still logged, as every request is, with
    /// its first word decoded leniently; its operation is never carried out.
    /// </summary>
    public static HistoryRequest NotUtf8(ReadOnlySpan<byte> request) =>
        Parse(System.Text.Encoding.UTF8.GetString(request)) with { Op = HistoryOp.NotUtf8, LineText = null, Line = null };

    public static HistoryRequest Parse(string request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // string.Split with no separators splits on every Unicode white-space character, as
        // Python's str.split() does.
        var words = request.Split((char[]?)null, 4, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return new(string.Empty, HistoryOp.None);
        }

        var user = words[0];
        if (user == NewUserWord)
        {
            return new(user, words.Length == 1 ? HistoryOp.NewUser : HistoryOp.NewWithExtraWords);
        }

        if (words.Length == 1)
        {
            return new(user, HistoryOp.None);
        }

        return words[1] switch
        {
            "1" when words.Length == 2 => new(user, HistoryOp.DeleteLine),
            "1" => new(user, HistoryOp.DeleteLine, words[2], ParseLine(words[2])),
            "2" => new(user, HistoryOp.Show),
            "3" => new(user, HistoryOp.DeleteAll),
            _ => new(user, HistoryOp.Invalid),
        };
    }

    /// <summary>
    /// Whatever the original's <c>int()</c> accepted is a line number (<c>+3</c>, <c>٣</c>, <c>1_0</c>,
    /// <c>-3</c> and <c>0</c> too, which name no line); <c>3.0</c> and <c>x</c> are not.
    /// </summary>
    private static long? ParseLine(string text) => PythonInt.TryParse(text, out var line) ? line : null;
}
