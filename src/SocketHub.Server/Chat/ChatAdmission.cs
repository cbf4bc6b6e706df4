using System.Collections.Concurrent;
using SocketHub.Protocol.Chat;
using SocketHub.Server.Cluster;
using SocketHub.Server.Cluster.Chat;
using SocketHub.Server.Data;
using SocketHub.Server.Hosting;
using SocketHub.Server.Ops;

namespace SocketHub.Server.Chat;

public enum MessageDelivery { Delivered, Stored, Blocked, TooManyStored }

/// <summary>
/// Entering and leaving the room for a user whose login was accepted (<see cref="ChatLogin"/>):
/// the welcome with the first page of stored messages, then the rest of the backlog; and the
/// <c>message</c> to one user, which is delivered or stored. The two meet at the recipient's
/// mailbox, and a lock per mailbox keeps a message from falling between them. With the cluster's
/// chat a user's node also listens for messages sent on other nodes while the user is in the room
/// (<see cref="ClusterChat.ListenAsync"/>), from before the login reads the stored messages.
/// </summary>
public sealed class ChatAdmission(
    ChatSettings settings,
    ChatRoom room,
    ChatAccounts accounts,
    ChatBacklog backlog,
    IChatSessionClaims claims,
    ActivityFeed activity,
    IHostApplicationLifetime lifetime,
    ILogger<ChatAdmission> logger,
    ClusterChat? cluster = null)
{
    private readonly CancellationToken _stopping = lifetime.ApplicationStopping;

    // One lock per recipient, held by a login from reading the stored messages until the session
    // is in the room, and by a message to that user from "is the user online?" until it is stored.
    // Without it a message could be stored just after the login read the stored ones but before
    // the user was in the room: neither delivered now nor in this login's backlog, it waited
    // for the next login although the user was online.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _mailboxes = new(StringComparer.Ordinal);

    // With the cluster's chat: each session's subscription to its user's channel, by session (a
    // quick second login of the user on this node has its own).
    private readonly ConcurrentDictionary<ChatSession, IAsyncDisposable> _listeners = new(ReferenceEqualityComparer.Instance);

    /// <summary>True when the account is in the room now.</summary>
    public bool IsOnline(string user) => room.IsOnline(user);

    /// <summary>
    /// Enters the room as a verified <paramref name="user"/>, with the welcome (carrying the first
    /// page of stored messages) before the others hear of the arrival; the rest of the backlog
    /// follows as the client reads. <see cref="LoginResult.AlreadyLoggedIn"/> when the account is
    /// in the room already, here or (with the Redis backplane) on another node.
    /// </summary>
    public async Task<LoginResult> EnterAsync(ChatSession session, string user)
    {
        if (room.IsOnline(user))
        {
            ChatLog.DuplicateLogin(logger, user, session.Remote);
            return LoginResult.AlreadyLoggedIn;
        }

        // The account's claim (cluster-wide with the Redis backplane): of two logins at once, on
        // this node or on two, one takes it and the other is refused as already logged in.
        if (!await claims.TryClaimAsync(user, session))
        {
            ChatLog.DuplicateLogin(logger, user, session.Remote);
            return LoginResult.AlreadyLoggedIn;
        }

        // The first page of stored messages goes in with the welcome, before the others hear of
        // the arrival; the rest follow page by page as the client reads them (ChatBacklog).
        ChatAccountTurns.Turn delivery;
        try
        {
            delivery = await backlog.WaitTurnAsync(user, _stopping);
        }
        catch
        {
            claims.Release(user, session);
            throw;
        }

        IReadOnlyList<ChatOfflineMessage> firstPage;
        bool entered;
        try
        {
            if (cluster is not null)
            {
                _listeners[session] = await cluster.ListenAsync(user, direct => DeliverHereAsync(direct.Sender, user, direct.Text));
            }

            var mailbox = Mailbox(user);
            await mailbox.WaitAsync(CancellationToken.None);
            try
            {
                firstPage = await backlog.FirstPageAsync(user);
                entered = room.TryEnter(session, user, ChatWelcome.For(user, [.. firstPage.Select(ChatBacklog.Delivery)]));
                if (entered)
                {
                    session.EnteredAs(user);
                }
            }
            finally
            {
                mailbox.Release();
            }
        }
        catch
        {
            delivery.Dispose();
            await StopListeningAsync(session);
            claims.Release(user, session);
            throw;
        }

        if (!entered)
        {
            delivery.Dispose();
            await StopListeningAsync(session);
            claims.Release(user, session);
            ChatLog.DuplicateLogin(logger, user, session.Remote);
            return LoginResult.AlreadyLoggedIn;
        }

        cluster?.Entered(user);
        session.Backlog = backlog.DeliverAsync(session, user, firstPage, delivery);
        accounts.LoggedIn(user, session.Remote);
        ChatLog.LoggedIn(logger, user, session.Remote);
        activity.Add(session.Dialect.Name, $"{user} logged in from {session.Remote}");
        return LoginResult.Welcome;
    }

    /// <summary>Takes an entered session out of the room; the others are told when <paramref name="announce"/>.</summary>
    public void Leave(ChatSession session, bool announce)
    {
        var user = session.User!;
        room.Leave(session, announce);
        if (cluster is not null)
        {
            // Its channel goes quiet after the room has let go: a message in between is stored.
            cluster.Left(user);
            _ = StopListeningAsync(session);
        }

        claims.Release(user, session);
        accounts.LoggedOff(user);
        ChatLog.LoggedOut(logger, user, session.Remote);
        activity.Add(session.Dialect.Name, $"{user} logged out");
    }

    /// <summary>
    /// Delivers <paramref name="text"/> to an existing <paramref name="recipient"/> now, or stores
    /// it for their next login (up to <see cref="ChatSettings.OfflineMessageLimit"/>), under the
    /// recipient's mailbox lock.
    /// </summary>
    public async Task<MessageDelivery> DeliverAsync(string sender, string recipient, string text)
    {
        var mailbox = Mailbox(recipient);
        await mailbox.WaitAsync(CancellationToken.None);
        try
        {
            switch (room.SendDirect(sender, recipient, text))
            {
                case DirectResult.Blocked:
                    return MessageDelivery.Blocked;
                case DirectResult.Offline when cluster is not null && await cluster.SendDirectAsync(recipient, new ClusterDirect(sender, text)):
                    // The recipient's node has it: delivered there, or stored there if the user has just left.
                    return MessageDelivery.Delivered;
                case DirectResult.Offline:
                    if (await accounts.OfflineCountAsync(recipient) >= settings.OfflineMessageLimit)
                    {
                        return MessageDelivery.TooManyStored;
                    }

                    await accounts.StoreOfflineAsync(recipient, sender, text);
                    return MessageDelivery.Stored;
                default:
                    return MessageDelivery.Delivered;
            }
        }
        finally
        {
            mailbox.Release();
        }
    }

    /// <summary>
    /// A message sent on another node to a user whose node this is: delivered under the mailbox
    /// lock as a local one is, or stored when the user has left meanwhile (up to the limit; one
    /// over it is dropped and logged, as the sender was told it was delivered).
    /// </summary>
    private async Task DeliverHereAsync(string sender, string recipient, string text)
    {
        var mailbox = Mailbox(recipient);
        await mailbox.WaitAsync(CancellationToken.None);
        try
        {
            if (room.SendDirect(sender, recipient, text) != DirectResult.Offline)
            {
                return;
            }

            if (await accounts.OfflineCountAsync(recipient) >= settings.OfflineMessageLimit)
            {
                ChatLog.RemoteMessageDropped(logger, sender, recipient);
                return;
            }

            await accounts.StoreOfflineAsync(recipient, sender, text);
        }
        catch (Exception e) when (!ClientGone.Is(e))
        {
            ChatLog.RemoteMessageFailed(logger, e, sender, recipient);
        }
        finally
        {
            mailbox.Release();
        }
    }

    private async Task StopListeningAsync(ChatSession session)
    {
        if (_listeners.TryRemove(session, out var listener))
        {
            await listener.DisposeAsync();
        }
    }

    private SemaphoreSlim Mailbox(string user) => _mailboxes.GetOrAdd(user, static _ => new SemaphoreSlim(1, 1));
}
