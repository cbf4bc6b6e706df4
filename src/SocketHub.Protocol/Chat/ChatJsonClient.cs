using System.Text.Json;

namespace SocketHub.Protocol.Chat;

/// <summary>One object the JSON port sent, as a client reads it (<see cref="ChatJsonFormat"/> writes them).</summary>
public sealed record ChatJsonIncoming
{
    public required string Status { get; init; }

    /// <summary><c>data.message</c>; empty when there is none (the logout reply).</summary>
    public string Message { get; init; } = string.Empty;

    public string? Command { get; init; }

    /// <summary>A message event's author.</summary>
    public string? Source { get; init; }

    /// <summary>A broadcast's author (or the user a presence broadcast is about).</summary>
    public string? Sender { get; init; }

    public IReadOnlyList<string>? Users { get; init; }

    public IReadOnlyList<string> UnreadMessages { get; init; } = [];

    public string? Target { get; init; }

    public (string Host, int Port)? TargetAddress { get; init; }

    /// <summary><c>login</c> or <c>logout</c> on a presence broadcast.</summary>
    public string? Presence { get; init; }

    /// <summary>A message relayed from a text-port user's private chat.</summary>
    public bool Private { get; init; }

    /// <summary>More parts of the same text follow (an object is cut to fit one 1,024-byte read).</summary>
    public bool More { get; init; }

    /// <summary>A reply to a request, rather than an event: <c>success</c>, <c>unsuccessful</c>, <c>unknown</c>, <c>logout</c>.</summary>
    public bool IsReply => Status is ChatJsonTexts.Success or ChatJsonTexts.Unsuccessful or ChatJsonTexts.Unknown or ChatJsonTexts.Logout;

    public bool Success => Status == ChatJsonTexts.Success;
}

/// <summary>
/// The JSON port seen from a client: requests written exactly as the COMP3331 messenger's client
/// writes them, and the server's objects read back.
/// </summary>
public static class ChatJsonClient
{
    /// <summary><c>{"command": ..., "data": [...]}</c> as Python's <c>json.dumps</c> writes it, with no line end (as the original client sends it).</summary>
    public static string Request(string command, params IReadOnlyList<string> data)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(data);
        return new PythonJson().StartObject().Member("command", command).Member("data", data).EndObject().ToString();
    }

    /// <summary>
    /// A typed line as the original client sends it: split at every space, the first word the
    /// command, the others its data (so the server gets the text back exactly as typed). Null for
    /// an empty or blank line.
    /// </summary>
    public static (string Command, string[] Words, string Json)? FromTextLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Trim(' ').Length == 0)
        {
            return null;
        }

        var words = line.TrimStart(' ').Split(' ');
        return (words[0], words[1..], Request(words[0], words[1..]));
    }

    /// <summary>Reads one object the server sent; false when it is not an object with a string <c>status</c>.</summary>
    public static bool TryParse(string text, out ChatJsonIncoming incoming)
    {
        ArgumentNullException.ThrowIfNull(text);
        incoming = null!;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || String(root, "status") is not { } status
                || !root.TryGetProperty("data", out var data))
            {
                return false;
            }

            if (data.ValueKind != JsonValueKind.Object)
            {
                incoming = new ChatJsonIncoming { Status = status };
                return true;
            }

            incoming = new ChatJsonIncoming
            {
                Status = status,
                Message = String(data, "message") ?? string.Empty,
                Command = String(data, "command"),
                Source = String(data, "source"),
                Sender = String(data, "sender"),
                Users = Strings(data, "users"),
                UnreadMessages = Strings(data, "unreadMessages") ?? [],
                Target = String(data, "target"),
                TargetAddress = data.TryGetProperty("targetAddress", out var address)
                    && address.ValueKind == JsonValueKind.Array && address.GetArrayLength() == 2
                    && address[0].ValueKind == JsonValueKind.String && address[1].TryGetInt32(out var port)
                        ? (address[0].GetString()!, port)
                        : null,
                Presence = String(data, "presence"),
                Private = data.TryGetProperty("private", out var isPrivate) && isPrivate.ValueKind == JsonValueKind.True,
                More = data.TryGetProperty("more", out var more) && more.ValueKind == JsonValueKind.True,
            };
            return true;
        }
    }

    /// <summary>How SocketHub's client prints an event: as the text port would have said it.</summary>
    public static string Describe(ChatJsonIncoming incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        return incoming switch
        {
            { Status: ChatJsonTexts.Message, Source: { } source, Private: true } => ChatTexts.Private(source, incoming.Message),
            { Status: ChatJsonTexts.Message, Source: { } source } => ChatTexts.Direct(source, incoming.Message),
            { Status: ChatJsonTexts.Broadcast, Presence: null, Sender: { } sender } => ChatTexts.Broadcast(sender, incoming.Message),
            _ => incoming.Message,
        };
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string>? Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(u => u.ValueKind == JsonValueKind.String).Select(u => u.GetString()!)]
            : null;
}
