using SocketHub.Protocol.Chat;

namespace SocketHub.Protocol.SecureChat;

/// <summary>
/// What a line of the secure chat asks for. In the original every line is said to the room and
/// <c>disconnect</c> leaves; SocketHub keeps both and adds the shared room's other commands
/// behind a slash (<c>/whoelse</c>, <c>/message bob hi</c>, <c>/help</c>): the original client
/// has no commands of its own, and a line starting with <c>/</c> is rare chat.
/// </summary>
public static class SecureChatInput
{
    /// <summary>The command a line stands for: <c>broadcast</c> for plain text, <c>logout</c> for <c>disconnect</c>.</summary>
    public static ChatCommand Parse(string line)
    {
        if (line == SecureChatTexts.Disconnect)
        {
            return new ChatCommand(ChatCommandKind.Logout, SecureChatTexts.Disconnect);
        }

        if (line.Trim(' ', '\t').Length == 0)
        {
            // The original client never sends an empty line; another client's is nothing to say.
            return new ChatCommand(ChatCommandKind.Empty, string.Empty);
        }

        if (line[0] == SecureChatTexts.CommandPrefix)
        {
            var command = ChatCommand.ParseLine(line[1..]);
            // "/" alone or "/ " is no command name: the same answer as an unknown one.
            return command.Kind == ChatCommandKind.Empty ? new ChatCommand(ChatCommandKind.Invalid, string.Empty) : command;
        }

        return ChatCommand.Of(ChatCommandTable.Broadcast) with { Text = line };
    }

    /// <summary>What <c>/help</c> prints: the room's commands with their slash, and the two things the original client knew.</summary>
    public static IReadOnlyList<string> Help { get; } =
    [
        "Type a line to say it to everyone; disconnect to leave.",
        .. ChatCommandTable.HelpLines.Select(line => line.EndsWith(':') ? line : SecureChatTexts.CommandPrefix + line),
    ];
}
