using System.Text;

namespace SocketHub.Protocol.SecureChat;

/// <summary>
/// Every text the secure chat sends, word for word as the original server sends it (its
/// <c>server_lib</c> constants and <c>server.py</c> broadcasts), and how a room line becomes
/// messages that each fit one RSA block.
/// </summary>
public static class SecureChatTexts
{
    /// <summary>The answer to a username and password that log in.</summary>
    public const string Ok = "OK";

    /// <summary>The answer to any that do not; the client asks again (three times in all).</summary>
    public const string Failure = "FAILURE";

    /// <summary>The original's <c>SERVER_GREETING</c>.</summary>
    public const string Greeting = "\t\t\t\tWelcome to the Chat Room!\n\n\t\t\t\tBe respectful and be sure to type\n\t\t\t\tdisconnect to exit the chat.";

    /// <summary>SocketHub's addition to the greeting: the commands exist.</summary>
    public const string HelpHint = "\n\t\t\t\tType /help for the other commands.";

    /// <summary>The line that ends a session (the client sends it with its line end).</summary>
    public const string Disconnect = "disconnect";

    /// <summary>The sender name of the server's own messages (the original's <c>Station(alias='SERVER')</c>).</summary>
    public const string ServerAlias = "SERVER";

    public const string Connected = "[ CONNECTED ]";

    public const string Disconnected = "[ DISCONNECTED ]";

    /// <summary>What a command line starts with; every other line is said to the room.</summary>
    public const char CommandPrefix = '/';

    /// <summary>The clear welcome after <see cref="Ok"/>: <c>Welcome &lt;name&gt;\n&lt;greeting&gt;</c>.</summary>
    public static string Welcome(string user) => $"Welcome {user}\n{Greeting}{HelpHint}";

    /// <summary><c>&lt;name&gt;: [ CONNECTED ]</c>, as the original broadcasts an arrival (to the newcomer too).</summary>
    public static string ConnectedLine(string user) => $"{user}: {Connected}";

    public static string DisconnectedLine(string user) => $"{user}: {Disconnected}";

    /// <summary>
    /// The lines of a decrypted message: the original client sends what was typed with its line
    /// end, so one line end at the end is dropped; a message holding several lines (another
    /// client may send that) is several lines, each handled as if sent alone.
    /// </summary>
    public static IReadOnlyList<string> InputLines(string message)
    {
        var lines = message.Split('\n');
        var count = lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        var result = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            result.Add(lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i]);
        }

        return result;
    }

    /// <summary>
    /// <c>&lt;sender&gt;: &lt;text&gt;\n</c> as the original relays a chat line (the text keeps the
    /// line end its client typed), split into as many such messages as it takes for each to
    /// hold at most <paramref name="maxBytes"/> bytes of UTF-8. Splits fall between characters,
    /// never inside one.
    /// </summary>
    public static IReadOnlyList<string> ChatMessages(string sender, string text, int maxBytes) =>
        Split($"{sender}: ", text, "\n", maxBytes);

    /// <summary>
    /// A server sentence of one or more lines as <c>SERVER: ...</c> messages: whole lines are
    /// packed into one message while they fit, a line too long for one message is split.
    /// </summary>
    public static IReadOnlyList<string> ServerMessages(string sentence, int maxBytes)
    {
        var prefix = ServerAlias + ": ";
        var messages = new List<string>();
        var current = new StringBuilder();
        foreach (var line in sentence.Split('\n'))
        {
            var candidate = current.Length == 0 ? prefix + line + "\n" : current + line + "\n";
            if (Encoding.UTF8.GetByteCount(candidate) <= maxBytes)
            {
                current.Clear().Append(candidate);
                continue;
            }

            if (current.Length > 0)
            {
                messages.Add(current.ToString());
                current.Clear();
            }

            if (Encoding.UTF8.GetByteCount(prefix + line + "\n") <= maxBytes)
            {
                current.Append(prefix).Append(line).Append('\n');
            }
            else
            {
                messages.AddRange(Split(prefix, line, "\n", maxBytes));
            }
        }

        if (current.Length > 0)
        {
            messages.Add(current.ToString());
        }

        return messages;
    }

    /// <summary>
    /// <paramref name="prefix"/> + a piece of <paramref name="text"/> + <paramref name="suffix"/>,
    /// as many as it takes for each to be at most <paramref name="maxBytes"/> bytes of UTF-8.
    /// </summary>
    public static IReadOnlyList<string> Split(string prefix, string text, string suffix, int maxBytes)
    {
        var room = maxBytes - Encoding.UTF8.GetByteCount(prefix) - Encoding.UTF8.GetByteCount(suffix);
        if (room < 4)
        {
            // Not even one character of four bytes fits: the sender name is absurdly long.
            throw new ArgumentException("The prefix leaves no room for text in one message.", nameof(prefix));
        }

        var pieces = new List<string>();
        var piece = new StringBuilder();
        var used = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (used + size > room)
            {
                pieces.Add(prefix + piece + suffix);
                piece.Clear();
                used = 0;
            }

            piece.Append(rune.ToString());
            used += size;
        }

        if (piece.Length > 0 || pieces.Count == 0)
        {
            pieces.Add(prefix + piece + suffix);
        }

        return pieces;
    }
}
