using SocketHub.Protocol.Chat;

namespace SocketHub.Server.Chat;

/// <summary>
/// Words the chat's answers for the JSON port as the COMP3331 messenger's server did: its status
/// words, its <c>data.command</c> and its sentences. The chat decides (the same rules on both
/// ports); this only chooses the words. Where the original had no sentence (SocketHub's own
/// rules: flood control, usernames, a server error) the text port's sentence is kept.
/// </summary>
public static class ChatJsonReplies
{
    public static ChatJsonReply UnknownCommand(string command) =>
        new() { Status = ChatJsonTexts.Unknown, Command = command, Message = ChatJsonTexts.UnknownCommand(command) };

    public static ChatJsonReply Failed(string? command, string message) =>
        new() { Status = ChatJsonTexts.Unsuccessful, Command = command, Message = message };

    private static ChatJsonReply Done(string command, string message) =>
        new() { Status = ChatJsonTexts.Success, Command = command, Message = message };

    /// <summary>A login that did not get in. The original's login refusals carry no <c>command</c>.</summary>
    public static ChatJsonReply LoginRefused(LoginResult result, double blockSeconds) => Failed(null, result switch
    {
        LoginResult.WrongPassword or LoginResult.UnknownUser => ChatJsonTexts.InvalidCredentials,
        LoginResult.NowBlocked or LoginResult.Blocked => ChatJsonTexts.Blocked(blockSeconds),
        LoginResult.AlreadyLoggedIn => ChatJsonTexts.AlreadyLoggedIn,
        LoginResult.InvalidUsername => ChatTexts.InvalidUsername,
        LoginResult.EmptyPassword => ChatTexts.EmptyPassword,
        LoginResult.ReservedName => ChatTexts.ReservedUsername,
        LoginResult.TooManyRegistrations => ChatTexts.TooManyRegistrations,
        LoginResult.AccountsFull => ChatTexts.AccountsFull,
        LoginResult.TooManyAttempts => ChatTexts.TooManyLoginAttempts,
        _ => ChatTexts.ServerError,
    });

    /// <summary>
    /// True when the connection ends after the refusal: a block (the original client exits on
    /// "You've been blocked"), a server error, and an address over its login attempts (another
    /// try on this connection would be refused too). A wrong password and a duplicate login leave
    /// it open for another try, as in the original.
    /// </summary>
    public static bool LoginEnds(LoginResult result) =>
        result is LoginResult.NowBlocked or LoginResult.Blocked or LoginResult.ServerError or LoginResult.TooManyAttempts;

    public static ChatJsonReply StartPrivate(string user, PeerLookup result, ChatSession? peer)
    {
        const string command = ChatJsonTexts.StartPrivateCommand;
        return result switch
        {
            PeerLookup.Self => Failed(command, ChatJsonTexts.CannotPrivateSelf),
            PeerLookup.Unknown => Failed(command, ChatJsonTexts.PrivateUnknown(user)),
            PeerLookup.Offline => Failed(command, ChatJsonTexts.PrivateOffline(user)),
            PeerLookup.OtherNode => Failed(command, ChatJsonTexts.PrivateOtherNode(user)),
            PeerLookup.Blocked => Failed(command, ChatJsonTexts.PrivateUnavailable(user)),
            _ when peer is not { Dialect.PeerToPeer: true } => Failed(command, ChatJsonTexts.PrivateTextPort(user)),
            _ => Done(command, ChatJsonTexts.ReadyForPrivate(user)) with
            {
                Target = user,
                // Where the peer listens: the port it announced with p2p, or else (the original
                // client) the source port of its connection to us, as the original server told.
                TargetAddress = (peer.Remote, peer.P2pPort ?? peer.RemotePort),
            },
        };
    }

    /// <summary>The chat's reply to a command, worded for the JSON port.</summary>
    public static ChatOutput For(ChatCommand command, ChatReply reply)
    {
        var name = command.Name;
        var user = command.User;
        var said = reply.Message;
        if (command.Kind == ChatCommandKind.Invalid)
        {
            return UnknownCommand(name);
        }

        if (command.Error is not null && said == command.Error)
        {
            return Failed(name, said);
        }

        if (reply.Success)
        {
            return command.Kind switch
            {
                ChatCommandKind.Message => Done(name, reply.Stored ? ChatJsonTexts.MessageStored(user) : ChatJsonTexts.MessageSent(user)),
                ChatCommandKind.Broadcast => Done(name, said == ChatTexts.SomeRecipientsMissed ? ChatJsonTexts.BroadcastedSomeMissed : ChatJsonTexts.Broadcasted),
                ChatCommandKind.WhoElse => List(name, ChatJsonTexts.ActiveHeader, reply.Users ?? [], ChatJsonTexts.ListRule),
                ChatCommandKind.WhoElseSince => List(name, ChatJsonTexts.SinceHeader(Seconds(command)), reply.Users ?? [], ChatJsonTexts.ListRule + "\n"),
                ChatCommandKind.Block => Done(name, ChatJsonTexts.UserBlocked(user)),
                ChatCommandKind.Unblock => Done(name, ChatJsonTexts.UserUnblocked(user)),
                ChatCommandKind.Logout => new ChatJsonReply { Status = ChatJsonTexts.Logout, Message = ChatTexts.Goodbye, EmptyData = true },
                _ => Done(name, said),
            };
        }

        return Failed(name, (command.Kind, said) switch
        {
            (ChatCommandKind.Message, ChatTexts.CannotMessageSelf) => ChatJsonTexts.CannotMessageSelf,
            (ChatCommandKind.Message, ChatTexts.InvalidUser) => ChatJsonTexts.UserNotFound(user),
            (ChatCommandKind.Message, ChatTexts.RecipientBlockedYou) => ChatJsonTexts.UnableToReach(user),
            (ChatCommandKind.Block, ChatTexts.CannotBlockSelf) => ChatJsonTexts.CannotBlockSelf,
            (ChatCommandKind.Block or ChatCommandKind.Unblock, ChatTexts.InvalidUser) => ChatJsonTexts.DoesNotExist(user),
            (ChatCommandKind.Unblock, ChatTexts.CannotUnblockSelf) => ChatJsonTexts.CannotUnblockSelf,
            (ChatCommandKind.Unblock, _) when said == ChatTexts.WasNotBlocked(user) => ChatJsonTexts.WasNotBlocked(user),
            _ => said,
        });
    }

    private static ChatJsonReply List(string name, string header, IReadOnlyList<string> users, string footer) =>
        Done(name, header + string.Concat(users.Select(ChatJsonTexts.ListLine)) + footer) with { Users = users };

    /// <summary>The seconds as the original echoed them (<c>int()</c> of the word); a number past 64 bits stays as "since the start".</summary>
    private static string Seconds(ChatCommand command) =>
        command.Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
