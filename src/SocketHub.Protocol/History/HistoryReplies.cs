using System.Text;

namespace SocketHub.Protocol.History;

/// <summary>
/// The history's reply texts. No reply ends with a line break, as in the original: the client
/// reads until the server closes, so the close marks the end.
/// </summary>
public static class HistoryReplies
{
    public const string AuthenticationError = "Authentication error.";
    public const string NeedsLineNumber = "Operation 1 needs a line number.";
    public const string AllDeleted = "All history deleted.";
    public const string InvalidOperation = "Either no operation or operation is invalid.";
    public const string TooManyRequests = "Too many requests.";

    /// <summary><c>new</c> with more words after it.</summary>
    public const string NewMustBeAlone = "Send new alone to get a username.";

    /// <summary>More than 2048 bytes without a line end.</summary>
    public const string TooLong = "Request too long: at most 2048 bytes.";

    public const string InvalidEncoding = "Request is not valid UTF-8.";

    public const string TimedOut = "Request timed out.";

    public const string ShuttingDown = "Server shutting down.";

    /// <summary>The database refused the write: nothing was logged and nothing changed.</summary>
    public const string NotLogged = "Server error: the request was not logged. Please try again.";

    /// <summary>The operations text: a blank line, the heading, then one line per operation.</summary>
    public const string Operations =
        "\n" +
        "Operations:\n" +
        "1 <n>  delete the history line n\n" +
        "2      show the history\n" +
        "3      delete all history\n" +
        "new    get a username (send it alone)";

    /// <summary>The reply's first part: where to get the server's code.</summary>
    public static string CloneLine(string repositoryUrl) =>
        $"To download this server code, download Git and run 'git clone {repositoryUrl}'";

    /// <summary>A known user's reply: the clone line, the operations text and the response, joined by <c>\n</c>.</summary>
    public static string ForUser(string repositoryUrl, string response) =>
        string.Join('\n', CloneLine(repositoryUrl), Operations, response);

    public static string YourUsername(string name) => $"Your username is {name}.";

    public static string LineDeleted(string line, string user) => $"History at {line} deleted by {user}.";

    public static string LineDoesNotExist(string line) => $"Line {line} does not exist.";

    /// <summary>
    /// The history, one entry a line, oldest first, no line break after the last. When older
    /// lines were left out, a first line says how many.
    /// </summary>
    public static string HistoryList(IReadOnlyList<string> lines, long omitted)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var sb = new StringBuilder();
        if (omitted > 0)
        {
            sb.Append(OmittedLine(omitted));
        }

        foreach (var line in lines)
        {
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            sb.Append(line);
        }

        return sb.ToString();
    }

    public static string OmittedLine(long omitted) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"(\u2026 {omitted} older lines not shown)");
}
