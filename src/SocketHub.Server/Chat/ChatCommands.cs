using SocketHub.Protocol.Chat;
using SocketHub.Server.Cluster.Chat;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Chat;

public enum PeerLookup { Found, Self, Unknown, Offline, Blocked, OtherNode }

/// <summary>
/// Runs the commands of a session in the room, one handler for each entry of
/// <see cref="ChatCommandTable"/>, for every port. It answers with dialect-neutral
/// <see cref="ChatReply"/>s and events; the handlers of the ports word and write them.
/// </summary>
public sealed class ChatCommands
{
    private readonly ChatRoom _room;
    private readonly ChatAccounts _accounts;
    private readonly ChatAdmission _admission;
    private readonly ILogger<ChatCommands> _logger;
    private readonly TimeProvider _time;
    private readonly ClusterChat? _cluster;
    private readonly Dictionary<ChatCommandKind, Handler> _handlers;

    public ChatCommands(ChatRoom room, ChatAccounts accounts, ChatAdmission admission, ILogger<ChatCommands> logger, TimeProvider time, ClusterChat? cluster = null)
    {
        _room = room;
        _accounts = accounts;
        _admission = admission;
        _logger = logger;
        _time = time;
        _cluster = cluster;
        _handlers = new()
        {
            [ChatCommandKind.Message] = MessageAsync,
            [ChatCommandKind.Broadcast] = cluster is null ? Now(Broadcast) : BroadcastAcrossNodesAsync,
            [ChatCommandKind.WhoElse] = Now(WhoElse),
            [ChatCommandKind.WhoElseSince] = Now(WhoElseSince),
            [ChatCommandKind.Block] = BlockAsync,
            [ChatCommandKind.Unblock] = UnblockAsync,
            [ChatCommandKind.StartPrivate] = Now(StartPrivate),
            [ChatCommandKind.Private] = Now(Private),
            [ChatCommandKind.StopPrivate] = Now(StopPrivate),
            [ChatCommandKind.Help] = Now(Help),
            [ChatCommandKind.Logout] = Now(Logout),
            [ChatCommandKind.Login] = Now(Login),
            [ChatCommandKind.P2p] = Now(P2p),
        };

        // A command added to the table without its handler stops the server at its start.
        if (ChatCommandTable.All.FirstOrDefault(command => !_handlers.ContainsKey(command.Kind)) is { } unhandled)
        {
            throw new InvalidOperationException($"The chat command {unhandled.Name} has no handler.");
        }
    }

    private delegate Task<ChatReply> Handler(ChatSession session, ChatCommand command);

    /// <summary>True when <paramref name="kind"/> has a handler.</summary>
    public bool Handles(ChatCommandKind kind) => _handlers.ContainsKey(kind);

    /// <summary>Runs one command of a logged-in session; the reply is for the sender only.</summary>
    public async Task<ChatReply> ExecuteAsync(ChatSession session, ChatCommand command)
    {
        var name = command.Name;
        if (!_handlers.TryGetValue(command.Kind, out var handler))
        {
            return ChatReply.Fail(name, ChatTexts.InvalidCommand);
        }

        if (command.Error is not null)
        {
            return ChatReply.Fail(name, command.Error);
        }

        try
        {
            return await handler(session, command);
        }
        catch (Exception e) when (!ClientGone.Is(e))
        {
            // Never acknowledge what was not stored.
            ChatLog.CommandFailed(_logger, e, session.User!, name);
            return ChatReply.Fail(name, ChatTexts.ServerError);
        }
    }

    /// <summary>
    /// For a peer-to-peer chat (the JSON port's <c>startprivate</c>): the peer's session, once it
    /// is known to be another user, to exist, to be online and not to block the asker.
    /// </summary>
    public (PeerLookup Result, ChatSession? Peer) FindPeer(ChatSession session, string user)
    {
        if (user == session.User)
        {
            return (PeerLookup.Self, null);
        }

        if (!_accounts.Exists(user))
        {
            return (PeerLookup.Unknown, null);
        }

        return _room.FindPeer(session.User!, user) switch
        {
            (PeerResult.Found, var peer) => (PeerLookup.Found, peer),
            (PeerResult.Offline, _) when _cluster?.Presence.IsOnline(user) == true => (PeerLookup.OtherNode, null),
            (PeerResult.Offline, _) => (PeerLookup.Offline, null),
            _ => (PeerLookup.Blocked, null),
        };
    }

    private static Handler Now(Func<ChatSession, ChatCommand, ChatReply> handler) =>
        (session, command) => Task.FromResult(handler(session, command));

    private async Task<ChatReply> MessageAsync(ChatSession session, ChatCommand command)
    {
        var (me, user, name) = (session.User!, command.User, command.Name);
        if (user == me)
        {
            return ChatReply.Fail(name, ChatTexts.CannotMessageSelf);
        }

        if (!_accounts.Exists(user))
        {
            return ChatReply.Fail(name, ChatTexts.InvalidUser);
        }

        var delivery = await _admission.DeliverAsync(me, user, command.Text);
        switch (delivery)
        {
            case MessageDelivery.Blocked:
                return ChatReply.Fail(name, ChatTexts.RecipientBlockedYou);
            case MessageDelivery.TooManyStored:
                return ChatReply.Fail(name, ChatTexts.TooManyStored(user));
            default:
                _accounts.MessageSent(me);
                return ChatReply.Ok(name) with { Stored = delivery == MessageDelivery.Stored };
        }
    }

    private ChatReply Broadcast(ChatSession session, ChatCommand command)
    {
        var missed = _room.Broadcast(session.User!, command.Text);
        _accounts.BroadcastSent(session.User!);
        return ChatReply.Ok(command.Name, missed ? ChatTexts.SomeRecipientsMissed : string.Empty);
    }

    /// <summary>
    /// With the cluster's chat: acknowledged once stored (every node delivers it from the store,
    /// in id order); a line that could not be stored is refused, never half sent.
    /// </summary>
    private async Task<ChatReply> BroadcastAcrossNodesAsync(ChatSession session, ChatCommand command)
    {
        var me = session.User!;
        if (!await _cluster!.BroadcastAsync(me, command.Text))
        {
            return ChatReply.Fail(command.Name, ChatTexts.ServerError);
        }

        _accounts.BroadcastSent(me);
        return ChatReply.Ok(command.Name, _cluster.AnyBlockerOnline(me) ? ChatTexts.SomeRecipientsMissed : string.Empty);
    }

    private ChatReply WhoElse(ChatSession session, ChatCommand command) =>
        ChatReply.List(command.Name, WithOtherNodes(session.User!, _room.WhoElse(session.User!), _cluster?.Presence.Online()));

    private ChatReply WhoElseSince(ChatSession session, ChatCommand command)
    {
        var here = _room.WhoElseSince(session.User!, command.Seconds);
        return ChatReply.List(command.Name, WithOtherNodes(session.User!, here, _cluster?.Presence.OnlineSince(ChatRoom.Since(_time.GetUtcNow(), command.Seconds))));
    }

    /// <summary>This node's list, and (with the cluster's chat) the other nodes' users too, once each, in order.</summary>
    private static IReadOnlyList<string> WithOtherNodes(string me, IReadOnlyList<string> here, IReadOnlyCollection<string>? elsewhere) =>
        elsewhere is null || elsewhere.Count == 0
            ? here
            : here.Concat(elsewhere).Where(user => user != me).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private async Task<ChatReply> BlockAsync(ChatSession session, ChatCommand command)
    {
        var (me, user, name) = (session.User!, command.User, command.Name);
        if (user == me)
        {
            return ChatReply.Fail(name, ChatTexts.CannotBlockSelf);
        }

        if (!_accounts.Exists(user))
        {
            return ChatReply.Fail(name, ChatTexts.InvalidUser);
        }

        await _accounts.BlockAsync(me, user);
        _room.Block(me, user);
        _cluster?.BlockChanged(me, user, on: true);
        return ChatReply.Ok(name, ChatTexts.UserBlocked(user));
    }

    private async Task<ChatReply> UnblockAsync(ChatSession session, ChatCommand command)
    {
        var (me, user, name) = (session.User!, command.User, command.Name);
        if (user == me)
        {
            return ChatReply.Fail(name, ChatTexts.CannotUnblockSelf);
        }

        if (!_accounts.Exists(user))
        {
            return ChatReply.Fail(name, ChatTexts.InvalidUser);
        }

        if (!_room.IsBlocking(me, user))
        {
            return ChatReply.Fail(name, ChatTexts.WasNotBlocked(user));
        }

        await _accounts.UnblockAsync(me, user);
        _room.Unblock(me, user);
        _cluster?.BlockChanged(me, user, on: false);
        return ChatReply.Ok(name, ChatTexts.UserUnblocked(user));
    }

    private ChatReply StartPrivate(ChatSession session, ChatCommand command)
    {
        var (user, name) = (command.User, command.Name);
        if (user == session.User)
        {
            return ChatReply.Fail(name, ChatTexts.CannotPrivateSelf);
        }

        if (!_accounts.Exists(user))
        {
            return ChatReply.Fail(name, ChatTexts.InvalidUser);
        }

        var (result, port, address) = _room.StartPrivate(session, user);
        return result switch
        {
            StartPrivateResult.Started => ChatReply.Ok(name, ChatTexts.StartPrivate(user)) with { Address = address, Port = port },
            StartPrivateResult.Offline when _cluster?.Presence.IsOnline(user) == true => ChatReply.Fail(name, ChatTexts.OnAnotherNode(user)),
            StartPrivateResult.Offline => ChatReply.Fail(name, ChatTexts.UserOffline(user)),
            _ => ChatReply.Fail(name, ChatTexts.PrivateNotEnabled(user)),
        };
    }

    private ChatReply Private(ChatSession session, ChatCommand command) =>
        _room.SendPrivate(session, command.User, command.Text) switch
        {
            PrivateResult.Sent => ChatReply.Ok(command.Name),
            PrivateResult.Offline => ChatReply.Fail(command.Name, ChatTexts.UserOffline(command.User)),
            _ => ChatReply.Fail(command.Name, ChatTexts.PrivateNotEnabled(command.User)),
        };

    private ChatReply StopPrivate(ChatSession session, ChatCommand command) =>
        _room.StopPrivate(session, command.User)
            ? ChatReply.Ok(command.Name, ChatTexts.PrivateStopped(command.User))
            : ChatReply.Fail(command.Name, ChatTexts.NoPrivateSession(command.User));

    private static ChatReply Help(ChatSession session, ChatCommand command) =>
        ChatReply.Ok(command.Name, string.Join('\n', ChatCommandTable.HelpLines));

    private static ChatReply Logout(ChatSession session, ChatCommand command) =>
        ChatReply.Ok(command.Name, ChatTexts.Goodbye);

    /// <summary>The JSON port's announcement of where its client listens; the room gives it to peers.</summary>
    private static ChatReply P2p(ChatSession session, ChatCommand command)
    {
        session.P2pPort = command.Port;
        return ChatReply.Ok(command.Name, ChatTexts.P2pRecorded(command.Port));
    }

    /// <summary>A second login on a connection that is in the room already.</summary>
    private static ChatReply Login(ChatSession session, ChatCommand command) =>
        ChatReply.Fail(command.Name, ChatTexts.AlreadyLoggedInHere);
}
