using System.Text.Json;

namespace SocketHub.Protocol.Chat;

/// <summary>
/// What two COMP3331 messenger clients say to each other on a peer-to-peer private chat, which
/// the server never sees. The side that connects (to the address <c>startprivate</c> disclosed)
/// first sends <c>{"command": "SYN", "data": {"sender": "alice"}}</c>; then each private message,
/// either way, is <c>{"command": "private", "data": {"sender": "alice", "message": "hi"}}</c>, one
/// object per write (the original reads each with one <c>recv(1024)</c>), with no line end. A
/// client that stops the chat or leaves sends the message <c>Private chat is being closed.</c>
/// </summary>
public static class ChatPeerProtocol
{
    public const string SynCommand = "SYN";
    public const string PrivateCommand = "private";

    public static string Syn(string user) =>
        new PythonJson().StartObject().Member("command", SynCommand).Name("data").StartObject().Member("sender", user).EndObject().EndObject().ToString();

    /// <summary>
    /// One private message as objects to write one at a time: one, or several holding pieces of
    /// a text too long for the peer's 1,024-byte read.
    /// </summary>
    public static IReadOnlyList<string> Message(string user, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var overhead = Build(user, string.Empty).Length;
        return [.. ChatJsonFormat.Pieces(text, ChatJsonFormat.MaxObjectBytes - overhead).Select(piece => Build(user, piece))];
    }

    public static IReadOnlyList<string> Closing(string user) => Message(user, ChatJsonTexts.PrivateClosed);

    /// <summary>Reads one object from a peer: its command (<c>SYN</c>, <c>private</c>), sender and message.</summary>
    public static bool TryParse(string text, out string command, out string sender, out string message)
    {
        command = sender = message = string.Empty;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("command", out var name) || name.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
                || !data.TryGetProperty("sender", out var from) || from.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            command = name.GetString()!;
            sender = from.GetString()!;
            message = data.TryGetProperty("message", out var said) && said.ValueKind == JsonValueKind.String ? said.GetString()! : string.Empty;
            return ChatUsername.IsValid(sender);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>How SocketHub's client prints a message that came over a direct connection.</summary>
    public static string Received(string peer, string text) => $"{peer} (private, direct): {text}";

    private static string Build(string user, string text) =>
        new PythonJson().StartObject().Member("command", PrivateCommand).Name("data").StartObject()
            .Member("sender", user).Member("message", text).EndObject().EndObject().ToString();
}
