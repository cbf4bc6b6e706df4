using System.Text.Json;

namespace SocketHub.Protocol.Chat;

/// <summary>
/// Reads one request of the JSON port, as the COMP3331 messenger's client sends it:
/// <c>{"command": "message", "data": ["bob", "hello", "there"]}</c> (its input line split at
/// each space). Arguments are read the way the original server read them: a message's text is
/// the words after the user joined with single spaces (so the typed text comes back exactly),
/// words after those a command uses are ignored, and what is missing gets the original's
/// <c>Missing arguments for &lt;command&gt;.</c>
/// </summary>
public static class ChatJsonRequest
{
    /// <summary>A request may be this long (a message typed by the original client is escaped to ASCII, up to 12 bytes a character).</summary>
    public const int MaxRequestBytes = 4096;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 8 };

    /// <summary>
    /// The command, or null when the text is not a JSON object with a string <c>command</c> and
    /// (optionally) a <c>data</c> array of strings or numbers: a malformed request.
    /// </summary>
    public static ChatCommand? Parse(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, Options);
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
                // string is read, and throws.
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

        return FromWords(name.GetString()!, words);
    }

    /// <summary>The command a name and its words make on the JSON port.</summary>
    public static ChatCommand FromWords(string name, IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(words);
        if (!ChatCommandTable.TryFind(name, out var entry))
        {
            return new ChatCommand(ChatCommandKind.Invalid, name);
        }

        var command = new ChatCommand(entry.Kind, name);
        var missing = command with { Error = ChatJsonTexts.MissingArguments(name) };
        var first = words.Count > 0 ? words[0] : string.Empty;
        switch (entry.Arguments)
        {
            case ChatArguments.Login:
                return words.Count < 2 ? missing : command with { User = words[0], Text = words[1] };
            case ChatArguments.UserText:
                if (first.Length == 0)
                {
                    return missing;
                }

                var text = string.Join(' ', words.Skip(1));
                return text.Length == 0
                    ? command with { Error = ChatJsonTexts.EmptyMessage }
                    : command with { User = first, Text = text };
            case ChatArguments.Text:
                var all = string.Join(' ', words);
                return all.Length == 0 ? missing : command with { Text = all };
            case ChatArguments.User:
                return first.Length == 0 ? missing : command with { User = first };
            case ChatArguments.Seconds:
                return first.Length == 0 ? missing : ChatCommand.FromWords(name, [first]);
            case ChatArguments.Port:
                return ChatCommand.FromWords(name, words);
            default:
                // whoelse, help, logout, disconnect: the original ignored any words after them.
                return command;
        }
    }
}
