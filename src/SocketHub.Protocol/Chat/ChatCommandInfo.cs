namespace SocketHub.Protocol.Chat;

/// <summary>What a chat command takes after its name; the parsers and the usage sentence follow it.</summary>
public enum ChatArguments
{
    /// <summary>Nothing (<c>whoelse</c>).</summary>
    None,

    /// <summary>One user name (<c>block &lt;user&gt;</c>).</summary>
    User,

    /// <summary>A user name, then the text as typed (<c>message &lt;user&gt; &lt;text&gt;</c>).</summary>
    UserText,

    /// <summary>The text as typed (<c>broadcast &lt;text&gt;</c>).</summary>
    Text,

    /// <summary>A count of seconds in decimal digits (<c>whoelsesince &lt;seconds&gt;</c>).</summary>
    Seconds,

    /// <summary>A TCP port, 1 to 65535 (<c>p2p &lt;port&gt;</c>).</summary>
    Port,

    /// <summary>A user name and a password (<c>login &lt;user&gt; &lt;password&gt;</c>).</summary>
    Login,
}

/// <summary>
/// One command of the chat as <see cref="ChatCommandTable"/> lists it: its kind, its name and
/// other spellings, what it takes, and its line in <c>help</c>. Everything a client sees of a
/// command (the name it types, the usage sentence, the help line) comes from here.
/// </summary>
public sealed record ChatCommandInfo(ChatCommandKind Kind, string Name, ChatArguments Arguments, string Help)
{
    /// <summary>Other names that run the same command (<c>disconnect</c> for <c>logout</c>); the help line mentions them.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>
    /// Only the JSON port takes it (<c>login</c>, <c>p2p</c>): a text-port user logs in at the
    /// prompts and listens nowhere. The text port answers it as an unknown command and its
    /// <c>help</c> does not list it.
    /// </summary>
    public bool JsonOnly { get; init; }

    /// <summary>The command as typed with its arguments: <c>message &lt;user&gt; &lt;text&gt;</c>, spelled <paramref name="name"/> (an alias answers with its own name).</summary>
    public string Synopsis(string name) => Arguments switch
    {
        ChatArguments.User => $"{name} <user>",
        ChatArguments.UserText => $"{name} <user> <text>",
        ChatArguments.Text => $"{name} <text>",
        ChatArguments.Seconds => $"{name} <seconds>",
        ChatArguments.Port => $"{name} <port>",
        ChatArguments.Login => $"{name} <user> <password>",
        _ => name,
    };

    /// <summary>What the help says it does, with its other names: <c>leave (also: disconnect)</c>.</summary>
    public string Description => Aliases.Count == 0 ? Help : $"{Help} (also: {string.Join(", ", Aliases)})";
}
