namespace SocketHub.Protocol.Chat;

/// <summary>
/// Something the server sends to one chat session. One model for both dialects: the text
/// formatter writes its sentence as lines, the JSON formatter writes one object.
/// </summary>
public abstract record ChatOutput
{
    /// <summary>The text-dialect sentence (lines separated by <c>\n</c>); empty when the text dialect says nothing.</summary>
    public required string Message { get; init; }
}

/// <summary>A prompt of the text dialect's login (<c>Username: </c>); the JSON dialect has none.</summary>
public sealed record ChatPrompt : ChatOutput
{
    public static ChatPrompt Username { get; } = new() { Message = ChatTexts.UsernamePrompt };

    public static ChatPrompt Password { get; } = new() { Message = ChatTexts.PasswordPrompt };
}

/// <summary>
/// The answer to a request. <see cref="Command"/> is null when the request could not be read as
/// one (malformed JSON, a line too long, flood control).
/// </summary>
public sealed record ChatReply : ChatOutput
{
    public string? Command { get; init; }

    public bool Success { get; init; }

    /// <summary>The names of <c>whoelse</c> and <c>whoelsesince</c>.</summary>
    public IReadOnlyList<string>? Users { get; init; }

    /// <summary><c>startprivate</c> to a peer that announced a peer-to-peer port.</summary>
    public string? Address { get; init; }

    public int? Port { get; init; }

    /// <summary>A <c>message</c> to an offline user: stored for their next login rather than delivered now.</summary>
    public bool Stored { get; init; }

    public static ChatReply Ok(string? command, string message = "") => new() { Command = command, Success = true, Message = message };

    public static ChatReply Fail(string? command, string message) => new() { Command = command, Success = false, Message = message };

    /// <summary>A user list: one name per line, then <c>End of list.</c></summary>
    public static ChatReply List(string command, IReadOnlyList<string> users) => new()
    {
        Command = command,
        Success = true,
        Users = users,
        Message = string.Join('\n', [.. users, ChatTexts.EndOfList]),
    };
}

/// <summary>
/// The welcome after a login, with the stored messages that are delivered in the same step. The
/// text dialect prints the welcome and then each message on its own line; the JSON port sends one
/// login reply that lists them (<c>unreadMessages</c>).
/// </summary>
public sealed record ChatWelcome : ChatOutput
{
    public required string User { get; init; }

    public IReadOnlyList<ChatEvent> Stored { get; init; } = [];

    public static ChatWelcome For(string user, IReadOnlyList<ChatEvent> stored) =>
        new() { User = user, Stored = stored, Message = ChatTexts.Welcome };
}

/// <summary>
/// A reply of the JSON port already in the COMP3331 messenger's terms: its status word
/// (<c>success</c>, <c>unsuccessful</c>, <c>unknown</c>, <c>logout</c>), its <c>data.command</c>
/// spelling and sentence, and the members it adds. <see cref="ChatOutput.Message"/> is the sentence.
/// </summary>
public sealed record ChatJsonReply : ChatOutput
{
    public required string Status { get; init; }

    public string? Command { get; init; }

    public IReadOnlyList<string>? Users { get; init; }

    /// <summary><c>startprivate</c>: the peer's name and where it listens (<c>[host, port]</c>).</summary>
    public string? Target { get; init; }

    public (string Host, int Port)? TargetAddress { get; init; }

    /// <summary>The reply to <c>logout</c>: <c>{"status": "logout", "data": []}</c>.</summary>
    public bool EmptyData { get; init; }

    public bool Success => Status == ChatJsonTexts.Success;
}

public enum ChatEventKind
{
    Message,
    Broadcast,
    Private,
    Presence,
    Server,
}

/// <summary>Something pushed to a session that it did not ask for.</summary>
public sealed record ChatEvent : ChatOutput
{
    public required ChatEventKind Kind { get; init; }

    public string? Sender { get; init; }

    public string? Text { get; init; }

    public string? User { get; init; }

    /// <summary>Presence: <c>login</c> or <c>logout</c>; private: <c>start</c>, <c>stop</c> (absent for a message).</summary>
    public string? Action { get; init; }

    public static ChatEvent Direct(string sender, string text) =>
        new() { Kind = ChatEventKind.Message, Sender = sender, Text = text, Message = ChatTexts.Direct(sender, text) };

    public static ChatEvent Broadcast(string sender, string text) =>
        new() { Kind = ChatEventKind.Broadcast, Sender = sender, Text = text, Message = ChatTexts.Broadcast(sender, text) };

    public static ChatEvent Private(string sender, string text) =>
        new() { Kind = ChatEventKind.Private, Sender = sender, Text = text, Message = ChatTexts.Private(sender, text) };

    public static ChatEvent PrivateStarted(string sender) =>
        new() { Kind = ChatEventKind.Private, Sender = sender, Action = "start", Message = ChatTexts.PrivateStartedBy(sender) };

    public static ChatEvent PrivateStopped(string sender) =>
        new() { Kind = ChatEventKind.Private, Sender = sender, Action = "stop", Message = ChatTexts.PrivateStoppedBy(sender) };

    public static ChatEvent LoggedIn(string user) =>
        new() { Kind = ChatEventKind.Presence, User = user, Action = "login", Message = ChatTexts.LoggedIn(user) };

    public static ChatEvent LoggedOut(string user) =>
        new() { Kind = ChatEventKind.Presence, User = user, Action = "logout", Message = ChatTexts.LoggedOut(user) };

    public static ChatEvent Server(string message) => new() { Kind = ChatEventKind.Server, Message = message };
}
