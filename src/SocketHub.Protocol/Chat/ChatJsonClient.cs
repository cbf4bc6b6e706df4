using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SocketHub.Protocol.Chat;

/// <summary>
/// The JSON dialect seen from a client: writing requests (<c>{"command":"message","data":["bob","hi"]}</c>)
/// and reading the server's replies and events back into the <see cref="ChatOutput"/> model that
/// <see cref="ChatJsonFormat"/> writes them from.
/// </summary>
public static class ChatJsonClient
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One request line, <c>\n</c> included.</summary>
    public static string Request(string command, params IReadOnlyList<string> data)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(data);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("command", command);
            json.WriteStartArray("data");
            foreach (var word in data)
            {
                json.WriteStringValue(word);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>
    /// Turns a line typed as in the text dialect (<c>message bob hello  there</c>) into the JSON
    /// request with the same meaning, the text kept exactly as typed. Null for an empty line. A
    /// line the text dialect would refuse is still sent (as its words), so the server answers it
    /// with its own error sentence. Returns the command name too.
    /// </summary>
    public static (string Command, string Json)? FromTextLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parsed = ChatCommand.ParseLine(line);
        if (parsed.Kind == ChatCommandKind.Empty)
        {
            return null;
        }

        string[] data = parsed.Error is null
            ? parsed.Kind switch
            {
                ChatCommandKind.Message or ChatCommandKind.Private => [parsed.User, parsed.Text],
                ChatCommandKind.Broadcast => [parsed.Text],
                _ => Words(line)[1..],
            }
            : Words(line)[1..];
        var name = Words(line)[0];
        return (name, Request(name, data));
    }

    /// <summary>
    /// Reads one line the server sent. False when it is not a reply or event of this dialect
    /// (not JSON, no <c>status</c>, no <c>data.message</c>).
    /// </summary>
    public static bool TryParse(string line, out ChatOutput output)
    {
        ArgumentNullException.ThrowIfNull(line);
        output = null!;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("status", out var statusElement) || statusElement.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
                || String(data, "message") is not { } message)
            {
                return false;
            }

            var status = statusElement.GetString();
            switch (status)
            {
                case "success" or "error":
                    output = new ChatReply
                    {
                        Success = status == "success",
                        Command = String(root, "command"),
                        Message = message,
                        Users = data.TryGetProperty("users", out var users) && users.ValueKind == JsonValueKind.Array
                            ? [.. users.EnumerateArray().Where(u => u.ValueKind == JsonValueKind.String).Select(u => u.GetString()!)]
                            : null,
                        Address = String(data, "address"),
                        Port = data.TryGetProperty("port", out var port) && port.TryGetInt32(out var p) ? p : null,
                    };
                    return true;
                case "message" or "broadcast" or "private" or "presence" or "server":
                    output = new ChatEvent
                    {
                        Kind = status switch
                        {
                            "message" => ChatEventKind.Message,
                            "broadcast" => ChatEventKind.Broadcast,
                            "private" => ChatEventKind.Private,
                            "presence" => ChatEventKind.Presence,
                            _ => ChatEventKind.Server,
                        },
                        Message = message,
                        Sender = String(data, "sender"),
                        Text = String(data, "text"),
                        User = String(data, "user"),
                        Action = String(data, "action"),
                    };
                    return true;
                default:
                    return false;
            }
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
