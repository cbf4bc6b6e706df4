using System.Text;

namespace SocketHub.Protocol.History;

/// <summary>
/// The history's reply texts. A known user's reply is the original server's, byte for byte: its
/// clone line (with its stray quote), its operations text (with its trailing spaces), and its
/// responses. The original sent no line end after a one-line reply; the client reads one
/// <c>recv</c>, or until the server closes.
/// </summary>
public static class HistoryReplies
{
    public const string AuthenticationError = "Authentication error.";
    public const string AllDeleted = "All history deleted.";
    public const string InvalidOperation = "Either no operation or operation is invalid.";
    public const string TooManyRequests = "Too many requests.";

    /// <summary>Operation 1 with no line number (the original crashed and sent nothing).</summary>
    public const string NeedsLineNumber = "Operation 1 needs a line number.";

    /// <summary><c>new</c> with more words after it.</summary>
    public const string NewMustBeAlone = "Send new alone to get a username.";

    /// <summary>More than 2048 bytes without a line end.</summary>
    public const string TooLong = "Request too long: at most 2048 bytes.";

    public const string InvalidEncoding = "Request is not valid UTF-8.";

    public const string TimedOut = "Request timed out.";

    public const string ShuttingDown = "Server shutting down.";

    /// <summary>The database refused the write: nothing was logged and nothing changed.</summary>
    public const string NotLogged = "Server error: the request was not logged. Please try again.";

    /// <summary>
    /// The original's operations text, exactly: a blank line, the heading and one line per
    /// operation, each but the last ending with a space before its line end. It does not mention
    /// <c>new</c>, which the original did not have.
    /// </summary>
    public const string Operations =
        "\n" +
        "Operations: \n" +
        " To delete history at a certain point, enter 1 after your password followed by an integer. \n" +
        " To receive server access history, enter 2 after your password. \n" +
        " To delete all history, enter 3 after your password.";

    /// <summary>
    /// The reply's first part, where to get the server's code, with the original's quotes:
    /// <c>run 'git clone '&lt;url&gt;'</c>.
    /// </summary>
    public static string CloneLine(string repositoryUrl) =>
        $"To download this server code, download Git and run 'git clone '{repositoryUrl}'";

    /// <summary>A known user's reply: the clone line, the operations text and the response, joined by <c>\n</c>.</summary>
    public static string ForUser(string repositoryUrl, string response) =>
        string.Join('\n', CloneLine(repositoryUrl), Operations, response);

    public static string YourUsername(string name) => $"Your username is {name}.";

    /// <summary>Operation 1's answer, after a blank line as the original sent it, whether or not line n existed.</summary>
    public static string LineDeleted(string line, string user) => $"\nHistory at {line} deleted by {user}.";

    /// <summary>Operation 1 with a word that is no integer (the original crashed and sent nothing).</summary>
    public static string NotALineNumber(string line) => $"Line {line} does not exist.";

    /// <summary>
    /// The history as the original's operation 2 sent it: the file's text, each line ended by
    /// <c>\n</c>, oldest first. When older lines were left out, a first line says how many.
    /// </summary>
    public static string HistoryList(IReadOnlyList<string> lines, long omitted)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var sb = new StringBuilder();
        if (omitted > 0)
        {
            sb.Append(OmittedLine(omitted)).Append('\n');
        }

        foreach (var line in lines)
        {
            sb.Append(line).Append('\n');
        }

        return sb.ToString();
    }

    public static string OmittedLine(long omitted) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"(\u2026 {omitted} older lines not shown)");
}
