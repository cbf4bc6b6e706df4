using System.Globalization;

namespace SocketHub.Protocol.Chat;

/// <summary>Which command a request is; <see cref="ChatCommandTable"/> gives each (but the first two) its name and arguments.</summary>
public enum ChatCommandKind
{
    /// <summary>Not a command of this dialect: <c>Error. Invalid command</c>.</summary>
    Invalid,

    /// <summary>An empty line: ignored.</summary>
    Empty,
    Login,
    Message,
    Broadcast,
    WhoElse,
    WhoElseSince,
    Block,
    Unblock,
    StartPrivate,
    Private,
    StopPrivate,
    Help,
    Logout,
    P2p,
}

/// <summary>
/// One chat command with its arguments, from a text line (<see cref="ParseLine"/>) or from the
/// JSON dialect's command name and words (<see cref="FromWords"/>). When the arguments do not fit
/// the command, <see cref="Error"/> holds the usage sentence to answer with.
/// </summary>
public sealed record ChatCommand(ChatCommandKind Kind, string Name)
{
    public string User { get; init; } = string.Empty;

    /// <summary>The message text, or the password of a login.</summary>
    public string Text { get; init; } = string.Empty;

    public long Seconds { get; init; }

    public int Port { get; init; }

    /// <summary>The usage sentence when the arguments do not fit; the command is not run.</summary>
    public string? Error { get; init; }

    /// <summary>The command of <paramref name="command"/>'s entry, under its own name, arguments still to set.</summary>
    public static ChatCommand Of(ChatCommandInfo command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new ChatCommand(command.Kind, command.Name);
    }

    /// <summary>
    /// A text-dialect line: the first word (lower-case) names the command; words are separated by
    /// spaces; a message's text is everything after the user name, kept as typed. The JSON
    /// port's own commands (<see cref="ChatCommandInfo.JsonOnly"/>) are invalid here.
    /// </summary>
    public static ChatCommand ParseLine(string line)
    {
        if (line.Trim(' ').Length == 0)
        {
            return new ChatCommand(ChatCommandKind.Empty, string.Empty);
        }

        var (nameText, rest) = NextWord(line.TrimStart(' '));
        if (!ChatCommandTable.TryFind(nameText, out var entry) || entry.JsonOnly)
        {
            return new ChatCommand(ChatCommandKind.Invalid, nameText);
        }

        var command = new ChatCommand(entry.Kind, nameText);
        var usage = command with { Error = ChatTexts.Usage(entry.Synopsis(nameText)) };
        switch (entry.Arguments)
        {
            case ChatArguments.None:
                return rest.Length == 0 ? command : usage;
            case ChatArguments.Text:
                return rest.Length == 0 ? usage : command with { Text = rest };
            case ChatArguments.User:
            {
                var (user, after) = NextWord(rest);
                return user.Length == 0 || after.Length > 0 ? usage : command with { User = user };
            }

            case ChatArguments.UserText:
            {
                var (user, text) = NextWord(rest);
                return user.Length == 0 || text.Length == 0 ? usage : command with { User = user, Text = text };
            }

            case ChatArguments.Seconds:
            {
                var (word, after) = NextWord(rest);
                return TryParseSeconds(word, out var seconds) && after.Length == 0 ? command with { Seconds = seconds } : usage;
            }

            default:
                return usage;
        }
    }

    /// <summary>
    /// A JSON-dialect request: the command name and the words of its <c>data</c> array. A
    /// message's text may be one word or several (joined with single spaces).
    /// </summary>
    public static ChatCommand FromWords(string name, IReadOnlyList<string> words)
    {
        if (!ChatCommandTable.TryFind(name, out var entry))
        {
            return new ChatCommand(ChatCommandKind.Invalid, name);
        }

        var command = new ChatCommand(entry.Kind, name);
        var usage = command with { Error = ChatTexts.Usage(entry.Synopsis(name)) };
        switch (entry.Arguments)
        {
            case ChatArguments.None:
                return words.Count == 0 ? command : usage;
            case ChatArguments.Text:
                var text = string.Join(' ', words);
                return text.Length == 0 ? usage : command with { Text = text };
            case ChatArguments.User:
                return words.Count == 1 && words[0].Length > 0 ? command with { User = words[0] } : usage;
            case ChatArguments.UserText:
                var body = string.Join(' ', words.Skip(1));
                return words.Count >= 2 && words[0].Length > 0 && body.Length > 0
                    ? command with { User = words[0], Text = body }
                    : usage;
            case ChatArguments.Seconds:
                return words.Count == 1 && TryParseSeconds(words[0], out var seconds) ? command with { Seconds = seconds } : usage;
            case ChatArguments.Port:
                return words.Count == 1 && int.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
                    ? command with { Port = port }
                    : usage;
            case ChatArguments.Login:
                return words.Count == 2 ? command with { User = words[0], Text = words[1] } : usage;
            default:
                return usage;
        }
    }

    /// <summary>Decimal digits only; a number too large for 64 bits means "since the start".</summary>
    private static bool TryParseSeconds(string word, out long seconds)
    {
        seconds = 0;
        if (word.Length == 0 || word.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        if (!long.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out seconds))
        {
            seconds = long.MaxValue;
        }

        return true;
    }

    /// <summary>
    /// The word up to the next space, and what follows the spaces after it (empty when only
    /// spaces follow; otherwise kept as typed, trailing spaces included).
    /// </summary>
    private static (string Word, string After) NextWord(string text)
    {
        var end = text.IndexOf(' ', StringComparison.Ordinal);
        if (end < 0)
        {
            return (text, string.Empty);
        }

        var after = text[end..].TrimStart(' ');
        return (text[..end], after.TrimEnd(' ').Length == 0 ? string.Empty : after);
    }
}
