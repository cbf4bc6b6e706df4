using Microsoft.AspNetCore.Identity;
using SocketHub.Protocol.Chat;
using SocketHub.Protocol.Text;
using SocketHub.Server.Hosting;
using SocketHub.Server.Ops;

namespace SocketHub.Server.Chat;

public enum PeerLookup { Found, Self, Unknown, Offline, Blocked }

public enum LoginResult
{
    Welcome,
    InvalidUsername,
    UnknownUser,
    EmptyPassword,
    WrongPassword,
    NowBlocked,
    Blocked,
    AlreadyLoggedIn,
    ServerError,
}

/// <summary>
/// What the chat does, for both dialects: logging in, and every command once logged in. It
/// answers with dialect-neutral <see cref="ChatReply"/>s and events; the handlers format them.
/// </summary>
public sealed class ChatService(
    ChatSettings settings,
    ChatRoom room,
    ChatAccounts accounts,
    ChatPasswords passwords,
    ChatLockouts lockouts,
    ChatAccountTurns turns,
    ChatBacklog backlog,
    ActivityFeed activity,
    IHostApplicationLifetime lifetime,
    ILogger<ChatService> logger)
{
    private readonly CancellationToken _stopping = lifetime.ApplicationStopping;

    // One lock per recipient, held by a login from reading the stored messages until the session
    // is in the room, and by a message to that user from "is the user online?" until it is stored.
    // Without it a message could be stored just after the login read the stored ones but before
    // the user was in the room: neither delivered now nor in this login's backlog, it waited
    // for the next login although the user was online.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _mailboxes = new(StringComparer.Ordinal);

    private SemaphoreSlim Mailbox(string user) => _mailboxes.GetOrAdd(user, static _ => new SemaphoreSlim(1, 1));

    /// <summary>The first step of the text dialect's login: may this name go on to its password?</summary>
    public LoginResult CheckUsername(string user) =>
        !ChatUsername.IsValid(user) ? LoginResult.InvalidUsername
        : lockouts.IsBlocked(user) ? LoginResult.Blocked
        : !accounts.Exists(user) && !settings.OpenRegistration ? LoginResult.UnknownUser
        : LoginResult.Welcome;

    /// <summary>
    /// Checks the password (creating the account with open registration) and enters the room:
    /// the welcome, then each stored message, then the others hear of the arrival. The password
    /// is never logged.
    /// </summary>
    public async Task<LoginResult> LoginAsync(ChatSession session, string user, string password)
    {
        var verdict = await VerifyAsync(user, password);
        return verdict == LoginResult.Welcome
            ? await EnterAsync(session, user)
            : verdict;
    }

    /// <summary>
    /// The first half of a login: may this name and password log in? Creates the account with
    /// open registration, counts wrong passwords towards the lockout. The secure chat answers
    /// its client after this and enters the room only after the key exchange.
    /// </summary>
    public async Task<LoginResult> VerifyAsync(string user, string password)
    {
        var check = CheckUsername(user);
        if (check != LoginResult.Welcome)
        {
            return check;
        }

        try
        {
            return await VerifyOrRegisterAsync(user, password);
        }
        catch (Exception e) when (!ClientGone.Is(e))
        {
            ChatLog.LoginFailedOnServer(logger, e, LogText.Sanitize(user));
            return LoginResult.ServerError;
        }
    }

    /// <summary>True when the account is in the room now.</summary>
    public bool IsOnline(string user) => room.IsOnline(user);

    /// <summary>
    /// The second half of a login, for a verified <paramref name="user"/>: enters the room with
    /// the welcome (carrying the first page of stored messages) before the others hear of the
    /// arrival. <see cref="LoginResult.AlreadyLoggedIn"/> when the account is in the room already.
    /// </summary>
    public async Task<LoginResult> EnterAsync(ChatSession session, string user)
    {
        if (room.IsOnline(user))
        {
            ChatLog.DuplicateLogin(logger, user, session.Remote);
            return LoginResult.AlreadyLoggedIn;
        }

        // The first page of stored messages goes in with the welcome, before the others hear of
        // the arrival; the rest follow page by page as the client reads them (ChatBacklog).
        var delivery = await backlog.WaitTurnAsync(user, _stopping);
        IReadOnlyList<Data.ChatOfflineMessage> firstPage;
        bool entered;
        try
        {
            var mailbox = Mailbox(user);
            await mailbox.WaitAsync(CancellationToken.None);
            try
            {
                firstPage = await backlog.FirstPageAsync(user);
                entered = room.TryEnter(session, user, ChatWelcome.For(user, [.. firstPage.Select(ChatBacklog.Delivery)]));
            }
            finally
            {
                mailbox.Release();
            }
        }
        catch
        {
            delivery.Dispose();
            throw;
        }

        if (!entered)
        {
            delivery.Dispose();
            ChatLog.DuplicateLogin(logger, user, session.Remote);
            return LoginResult.AlreadyLoggedIn;
        }

        session.Backlog = backlog.DeliverAsync(session, user, firstPage, delivery);
        accounts.LoggedIn(user, session.Remote);
        ChatLog.LoggedIn(logger, user, session.Remote);
        activity.Add(Dialect(session), $"{user} logged in from {session.Remote}");
        return LoginResult.Welcome;
    }

    public void Leave(ChatSession session, bool announce)
    {
        room.Leave(session, announce);
        accounts.LoggedOff(session.User!);
        ChatLog.LoggedOut(logger, session.User!, session.Remote);
        activity.Add(Dialect(session), $"{session.User} logged out");
    }

    private static string Dialect(ChatSession session) => session.DialectName ?? (session.IsJson ? ChatDialect.Json : ChatDialect.Text).Name;

    /// <summary>Runs one command of a logged-in session; the reply is for the sender only.</summary>
    public async Task<ChatReply> ExecuteAsync(ChatSession session, ChatCommand command)
    {
        var me = session.User!;
        var name = command.Name;
        if (command.Kind == ChatCommandKind.Invalid)
        {
            return ChatReply.Fail(name, ChatTexts.InvalidCommand);
        }

        if (command.Error is not null)
        {
            return ChatReply.Fail(name, command.Error);
        }

        var user = command.User;
        try
        {
            switch (command.Kind)
            {
                case ChatCommandKind.Message:
                    return await MessageAsync(me, user, command.Text, name);

                case ChatCommandKind.Broadcast:
                    var missed = room.Broadcast(me, command.Text);
                    accounts.BroadcastSent(me);
                    return ChatReply.Ok(name, missed ? ChatTexts.SomeRecipientsMissed : string.Empty);

                case ChatCommandKind.WhoElse:
                    return ChatReply.List(name, room.WhoElse(me));

                case ChatCommandKind.WhoElseSince:
                    return ChatReply.List(name, room.WhoElseSince(me, command.Seconds));

                case ChatCommandKind.Block:
                    if (user == me)
                    {
                        return ChatReply.Fail(name, ChatTexts.CannotBlockSelf);
                    }

                    if (!accounts.Exists(user))
                    {
                        return ChatReply.Fail(name, ChatTexts.InvalidUser);
                    }

                    await accounts.BlockAsync(me, user);
                    room.Block(me, user);
                    return ChatReply.Ok(name, ChatTexts.UserBlocked(user));

                case ChatCommandKind.Unblock:
                    if (user == me)
                    {
                        return ChatReply.Fail(name, ChatTexts.CannotUnblockSelf);
                    }

                    if (!accounts.Exists(user))
                    {
                        return ChatReply.Fail(name, ChatTexts.InvalidUser);
                    }

                    if (!room.IsBlocking(me, user))
                    {
                        return ChatReply.Fail(name, ChatTexts.WasNotBlocked(user));
                    }

                    await accounts.UnblockAsync(me, user);
                    room.Unblock(me, user);
                    return ChatReply.Ok(name, ChatTexts.UserUnblocked(user));

                case ChatCommandKind.StartPrivate:
                    return StartPrivate(session, user, name);

                case ChatCommandKind.Private:
                    return room.SendPrivate(session, user, command.Text) switch
                    {
                        PrivateResult.Sent => ChatReply.Ok(name),
                        PrivateResult.Offline => ChatReply.Fail(name, ChatTexts.UserOffline(user)),
                        _ => ChatReply.Fail(name, ChatTexts.PrivateNotEnabled(user)),
                    };

                case ChatCommandKind.StopPrivate:
                    return room.StopPrivate(session, user)
                        ? ChatReply.Ok(name, ChatTexts.PrivateStopped(user))
                        : ChatReply.Fail(name, ChatTexts.NoPrivateSession(user));

                case ChatCommandKind.Help:
                    return ChatReply.Ok(name, string.Join('\n', ChatTexts.Help));

                case ChatCommandKind.Logout:
                    return ChatReply.Ok(name, ChatTexts.Goodbye);

                case ChatCommandKind.P2p:
                    session.P2pPort = command.Port;
                    return ChatReply.Ok(name, ChatTexts.P2pRecorded(command.Port));

                case ChatCommandKind.Login:
                    return ChatReply.Fail(name, ChatTexts.AlreadyLoggedInHere);

                default:
                    return ChatReply.Fail(name, ChatTexts.InvalidCommand);
            }
        }
        catch (Exception e) when (!ClientGone.Is(e))
        {
            // Never acknowledge what was not stored.
            ChatLog.CommandFailed(logger, e, me, name);
            return ChatReply.Fail(name, ChatTexts.ServerError);
        }
    }

    private async Task<ChatReply> MessageAsync(string me, string user, string text, string name)
    {
        if (user == me)
        {
            return ChatReply.Fail(name, ChatTexts.CannotMessageSelf);
        }

        if (!accounts.Exists(user))
        {
            return ChatReply.Fail(name, ChatTexts.InvalidUser);
        }

        var stored = false;
        var mailbox = Mailbox(user);
        await mailbox.WaitAsync(CancellationToken.None);
        try
        {
            switch (room.SendDirect(me, user, text))
            {
                case DirectResult.Blocked:
                    return ChatReply.Fail(name, ChatTexts.RecipientBlockedYou);
                case DirectResult.Offline:
                    if (await accounts.OfflineCountAsync(user) >= settings.OfflineMessageLimit)
                    {
                        return ChatReply.Fail(name, ChatTexts.TooManyStored(user));
                    }

                    await accounts.StoreOfflineAsync(user, me, text);
                    stored = true;
                    break;
            }
        }
        finally
        {
            mailbox.Release();
        }

        accounts.MessageSent(me);
        return ChatReply.Ok(name) with { Stored = stored };
    }

    private ChatReply StartPrivate(ChatSession session, string user, string name)
    {
        if (user == session.User)
        {
            return ChatReply.Fail(name, ChatTexts.CannotPrivateSelf);
        }

        if (!accounts.Exists(user))
        {
            return ChatReply.Fail(name, ChatTexts.InvalidUser);
        }

        var (result, port, address) = room.StartPrivate(session, user);
        return result switch
        {
            StartPrivateResult.Started => ChatReply.Ok(name, ChatTexts.StartPrivate(user)) with { Address = address, Port = port },
            StartPrivateResult.Offline => ChatReply.Fail(name, ChatTexts.UserOffline(user)),
            _ => ChatReply.Fail(name, ChatTexts.PrivateNotEnabled(user)),
        };
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

        if (!accounts.Exists(user))
        {
            return (PeerLookup.Unknown, null);
        }

        return room.FindPeer(session.User!, user) switch
        {
            (PeerResult.Found, var peer) => (PeerLookup.Found, peer),
            (PeerResult.Offline, _) => (PeerLookup.Offline, null),
            _ => (PeerLookup.Blocked, null),
        };
    }

    private async Task<LoginResult> VerifyOrRegisterAsync(string user, string password)
    {
        // One check per account at a time, and the block looked at again once it is our turn:
        // guesses sent at once cannot all be hashed before the third wrong one blocks the account,
        // and during a block no password is checked, so a right one is answered like a wrong one.
        using var turn = await turns.WaitAsync(user, _stopping);
        if (lockouts.IsBlocked(user))
        {
            return LoginResult.Blocked;
        }

        var hash = await accounts.PasswordHashAsync(user);
        if (hash is null)
        {
            if (!settings.OpenRegistration)
            {
                return LoginResult.UnknownUser;
            }

            if (password.Length == 0)
            {
                return LoginResult.EmptyPassword;
            }

            var newHash = await passwords.HashAsync(user, password);
            if (await accounts.CreateAsync(user, newHash))
            {
                ChatLog.Registered(logger, user);
                return LoginResult.Welcome;
            }

            // Someone registered the name meanwhile: it is now an existing account.
            hash = await accounts.PasswordHashAsync(user) ?? throw new InvalidOperationException("The account vanished.");
        }

        var verdict = await passwords.VerifyAsync(user, hash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            accounts.LoginFailed(user);
            var nowBlocked = lockouts.Fail(user);
            ChatLog.WrongPassword(logger, user, nowBlocked);
            activity.Add(ChatDialect.Text.Name, nowBlocked
                ? $"{user}: third wrong password, account blocked for a while"
                : $"{user}: wrong password");
            return nowBlocked ? LoginResult.NowBlocked : LoginResult.WrongPassword;
        }

        lockouts.Succeed(user);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await accounts.UpdatePasswordHashAsync(user, await passwords.HashAsync(user, password));
        }

        return LoginResult.Welcome;
    }
}
