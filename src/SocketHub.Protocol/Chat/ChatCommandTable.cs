using System.Diagnostics.CodeAnalysis;

namespace SocketHub.Protocol.Chat;

/// <summary>
/// Every chat command, once: the name a client types, what it takes and its help line. The
/// parsers (<see cref="ChatCommand"/>, <see cref="ChatJsonRequest"/>) look names up here, the
/// usage sentences and the <c>help</c> reply are made from it, and the server runs each entry
/// by its <see cref="ChatCommandKind"/>. In the order <c>help</c> lists them.
/// </summary>
public static class ChatCommandTable
{
    public static ChatCommandInfo Message { get; } = new(ChatCommandKind.Message, "message", ChatArguments.UserText, "send to one user (stored if they are offline)");

    public static ChatCommandInfo Broadcast { get; } = new(ChatCommandKind.Broadcast, "broadcast", ChatArguments.Text, "send to everyone online");

    public static ChatCommandInfo WhoElse { get; } = new(ChatCommandKind.WhoElse, "whoelse", ChatArguments.None, "who else is online");

    public static ChatCommandInfo WhoElseSince { get; } = new(ChatCommandKind.WhoElseSince, "whoelsesince", ChatArguments.Seconds, "who else was online in the last <seconds>");

    public static ChatCommandInfo Block { get; } = new(ChatCommandKind.Block, "block", ChatArguments.User, "stop receiving from <user>");

    public static ChatCommandInfo Unblock { get; } = new(ChatCommandKind.Unblock, "unblock", ChatArguments.User, "receive from <user> again");

    public static ChatCommandInfo StartPrivate { get; } = new(ChatCommandKind.StartPrivate, "startprivate", ChatArguments.User, "start a private chat with <user>");

    public static ChatCommandInfo Private { get; } = new(ChatCommandKind.Private, "private", ChatArguments.UserText, "send in a private chat");

    public static ChatCommandInfo StopPrivate { get; } = new(ChatCommandKind.StopPrivate, "stopprivate", ChatArguments.User, "end a private chat");

    public static ChatCommandInfo Help { get; } = new(ChatCommandKind.Help, "help", ChatArguments.None, "this list");

    public static ChatCommandInfo Logout { get; } = new(ChatCommandKind.Logout, "logout", ChatArguments.None, "leave") { Aliases = ["disconnect"] };

    public static ChatCommandInfo Login { get; } = new(ChatCommandKind.Login, "login", ChatArguments.Login, "log in (the JSON port's first request)") { JsonOnly = true };

    public static ChatCommandInfo P2p { get; } = new(ChatCommandKind.P2p, "p2p", ChatArguments.Port, "say where this client listens for peer-to-peer chats") { JsonOnly = true };

    public static IReadOnlyList<ChatCommandInfo> All { get; } =
        [Message, Broadcast, WhoElse, WhoElseSince, Block, Unblock, StartPrivate, Private, StopPrivate, Help, Logout, Login, P2p];

    private static readonly Dictionary<string, ChatCommandInfo> ByName = All
        .SelectMany(command => command.Aliases.Prepend(command.Name).Select(name => KeyValuePair.Create(name, command)))
        .ToDictionary(StringComparer.Ordinal);

    /// <summary>What <c>help</c> prints: a title, then one line per command of the text port, descriptions in one column.</summary>
    public static IReadOnlyList<string> HelpLines { get; } = MakeHelp();

    /// <summary>The command named <paramref name="name"/> (exactly, lower-case) or one of its aliases.</summary>
    public static bool TryFind(string name, [NotNullWhen(true)] out ChatCommandInfo? command) =>
        ByName.TryGetValue(name, out command);

    private static List<string> MakeHelp()
    {
        var listed = All.Where(command => !command.JsonOnly).ToList();

        // The descriptions start three spaces after the longest synopsis.
        var column = listed.Max(command => command.Synopsis(command.Name).Length) + 3;
        return [ChatTexts.HelpTitle, .. listed.Select(command => command.Synopsis(command.Name).PadRight(column) + command.Description)];
    }
}
