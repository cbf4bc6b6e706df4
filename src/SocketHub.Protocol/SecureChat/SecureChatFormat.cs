using SocketHub.Protocol.Chat;

namespace SocketHub.Protocol.SecureChat;

/// <summary>
/// What the secure chat's client sees of the shared room, as the texts of the messages it is
/// sent (each then encrypted on its own). Everything is <c>&lt;sender&gt;: &lt;text&gt;</c>, the one form
/// the original knows: a line said to the room as <c>bob: hi\n</c> (with the line end the
/// original's lines carry), arrivals and departures as <c>bob: [ CONNECTED ]</c> and
/// <c>bob: [ DISCONNECTED ]</c>, a message to this user alone as <c>bob (to you): hi\n</c>, and
/// the server's answers and notices as <c>SERVER: ...</c>. A text longer than one message holds
/// is split over several, each complete with its sender. The original client prints each
/// message to a terminal, so control characters are made visible as on the text port
/// (<see cref="ChatTextFormat.Visible"/>), a user's line breaks included.
/// </summary>
public static class SecureChatFormat
{
    public static IReadOnlyList<string> Messages(ChatOutput output, int maxBytes) => output switch
    {
        ChatEvent { Kind: ChatEventKind.Broadcast, Sender: { } sender, Text: { } text } => SecureChatTexts.ChatMessages(sender, ChatTextFormat.Visible(text), maxBytes),
        ChatEvent { Kind: ChatEventKind.Message, Sender: { } sender, Text: { } text } => SecureChatTexts.ChatMessages($"{sender} (to you)", ChatTextFormat.Visible(text), maxBytes),
        ChatEvent { Kind: ChatEventKind.Private, Action: null, Sender: { } sender, Text: { } text } => SecureChatTexts.ChatMessages($"{sender} (private)", ChatTextFormat.Visible(text), maxBytes),
        ChatEvent { Kind: ChatEventKind.Presence, Action: "login", User: { } user } => [SecureChatTexts.ConnectedLine(user)],
        ChatEvent { Kind: ChatEventKind.Presence, Action: "logout", User: { } user } => [SecureChatTexts.DisconnectedLine(user)],
        // The original's own alert is already in this form: sent word for word.
        ChatEvent { Kind: ChatEventKind.Server, Message: var message } when message.StartsWith(SecureChatTexts.ServerAlias + ": ", StringComparison.Ordinal) =>
            SecureChatTexts.Split(string.Empty, message, string.Empty, maxBytes),
        // Entering the room: the newcomer sees its own arrival, as the original's client does,
        // then the messages stored for it.
        ChatWelcome welcome => [SecureChatTexts.ConnectedLine(welcome.User), .. welcome.Stored.SelectMany(m => Messages(m, maxBytes))],
        ChatPrompt => [],
        { Message.Length: 0 } => [],
        _ => SecureChatTexts.ServerMessages(ChatTextFormat.Visible(output.Message, keepLineBreaks: true), maxBytes),
    };
}
