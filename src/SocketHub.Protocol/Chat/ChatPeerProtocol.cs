namespace SocketHub.Protocol.Chat;

/// <summary>
/// The client-to-client line protocol of a direct (peer-to-peer) private chat, which the server
/// never sees. The side that connects sends <c>HELLO &lt;its user name&gt;</c> as its first line;
/// from then on each line, either way, is one private message's text (UTF-8, <c>\n</c>-ended, at
/// most <see cref="ChatFraming.MaxLineBytes"/> bytes). Closing the connection ends the chat.
/// </summary>
public static class ChatPeerProtocol
{
    public const string HelloWord = "HELLO";

    public static string Hello(string user) => $"{HelloWord} {user}\n";

    /// <summary>Reads the first line; the name must be a valid chat username.</summary>
    public static bool TryParseHello(string line, out string user)
    {
        ArgumentNullException.ThrowIfNull(line);
        user = string.Empty;
        if (!line.StartsWith(HelloWord + " ", StringComparison.Ordinal))
        {
            return false;
        }

        var name = line[(HelloWord.Length + 1)..];
        if (!ChatUsername.IsValid(name))
        {
            return false;
        }

        user = name;
        return true;
    }

    /// <summary>A message line; a text cannot hold a line break (it would end the line), so breaks become spaces.</summary>
    public static string Message(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.ReplaceLineEndings(" ") + "\n";
    }

    /// <summary>How the receiving client prints a message that came over a direct connection.</summary>
    public static string Received(string peer, string text) => $"{peer} (private, direct): {text}";
}
