using System.Text;

namespace SocketHub.Protocol.Board;

/// <summary>The board's reply texts, byte for byte as the original server sent them.</summary>
public static class BoardReplies
{
    public const string Posted = "MSGPosting Message!%";
    public const string UnknownCommand = "ERRUnknown Command%";
    public const string BufferOverloaded = "ERRBuffer Overloaded%";
    public const string Timeout = "ERRTimeout!%";
    public const string RateLimited = "ERRRate Limited%";
    public const string InvalidEncoding = "ERRInvalid Encoding%";

    /// <summary>The database refused the write (disk full, say): nothing was stored.</summary>
    public const string NotStored = "ERRMessage Not Stored%";

    /// <summary>A reason line in the board's error format, for limits every dialect shares.</summary>
    public static string Error(string reason) => $"ERR{reason}%";

    /// <summary><c>MSG[(1, 'text'), ...]%</c>: the list as Python's repr, readable with ast.literal_eval.</summary>
    public static string MessageList(IReadOnlyList<(long Id, string Text)> messages)
    {
        var sb = new StringBuilder("MSG", 8 + (messages.Count * 24));
        sb.Append(PythonRepr.FormatMessageList(messages));
        return sb.Append('%').ToString();
    }
}
