using System.Text.Json;

namespace SocketHub.Protocol.Chat;

/// <summary>Reads one JSON-dialect request line: <c>{"command": "message", "data": ["bob", "hello"]}</c>.</summary>
public static class ChatJsonRequest
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 8 };

    /// <summary>
    /// The command, or null when the line is not a JSON object with a string <c>command</c> and
    /// (optionally) a <c>data</c> array of strings or numbers: a malformed request.
    /// </summary>
    public static ChatCommand? Parse(string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, Options);
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement);
            }
            catch (InvalidOperationException)
            {
                // Valid JSON syntax, but a string escapes a lone or misordered UTF-16 surrogate
                // ("\ud800"): not text, so not a request. System.Text.Json only finds out when the
                // string is read, and throws; uncaught, that ended the connection with no reply.
                return null;
            }
        }
    }

    private static ChatCommand? Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("command", out var name)
            || name.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        List<string> words = [];
        if (root.TryGetProperty("data", out var data) && data.ValueKind != JsonValueKind.Null)
        {
            if (data.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            foreach (var item in data.EnumerateArray())
            {
                switch (item.ValueKind)
                {
                    case JsonValueKind.String:
                        words.Add(item.GetString()!);
                        break;
                    case JsonValueKind.Number:
                        words.Add(item.GetRawText());
                        break;
                    default:
                        return null;
                }
            }
        }

        return ChatCommand.FromWords(name.GetString()!, words);
    }
}
