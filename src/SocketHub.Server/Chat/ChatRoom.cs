using System.Collections.Immutable;
using SocketHub.Protocol.Chat;

namespace SocketHub.Server.Chat;

public enum DirectResult { Delivered, Offline, Blocked }

public enum StartPrivateResult { Started, Offline, NotEnabled }

public enum PrivateResult { Sent, Offline, NotEnabled }

public enum PeerResult { Found, Offline, Blocked }

/// <summary>
/// The one chat room, shared by every chat port: who is online, who blocks whom, who has a
/// private chat with whom, and when each user last logged out since the server started. Every
/// change happens under one lock, so two racing logins of one account cannot both get in, and an
/// arrival or departure reaches everyone in one step. A broadcast takes no lock: it reads the
/// room's current <see cref="Member"/> list, an immutable array published under the lock at every
/// change of who is online or who blocks whom, so any number of broadcasts fan out at once. Each
/// sender's lines reach everyone in the order sent, and after anything its sender saw before
/// sending (a user whose arrival you have seen gets your next line); lines of two senders sent at
/// the same moment may reach two users in different orders. Nothing here waits: deliveries only
/// enqueue into each session's bounded queue. Password hashing and database work happen outside.
/// With <see cref="ChatSettings.HistoryOnJoin"/> on, broadcasts and joins also pass through the
/// <see cref="ChatRoomLog"/>'s gate, which orders them (see there).
/// </summary>
public sealed class ChatRoom(TimeProvider time, ChatSettings settings, ChatRoomLog? log = null)
{
    // Null while the log is off, so a broadcast checks one field and does nothing else for it.
    private readonly ChatRoomLog? _log = log is { Enabled: true } ? log : null;
    private readonly ChatQueueLimit _limit = new(settings);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ChatSession> _online = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImmutableHashSet<string>> _blocks = new(StringComparer.Ordinal);
    // When each user last logged out since the start: all whoelsesince needs (an earlier session
    // ended earlier still), and one entry per user however often they come and go.
    private readonly Dictionary<string, DateTimeOffset> _lastLeft = new(StringComparer.Ordinal);
    // Each session's private chats: the peer's name, and the peer's session the chat was started
    // with (a later login of the peer is another session, not in this chat). By session, not by
    // name: what a session started ends with it.
    private readonly Dictionary<ChatSession, Dictionary<string, ChatSession>> _private = new(ReferenceEqualityComparer.Instance);
    private Member[] _members = [];

    /// <summary>The queue limit every session of this room uses; it grows with the room (see <see cref="ChatQueueLimit"/>).</summary>
    public ChatQueueLimit QueueLimit => _limit;

    public int OnlineCount => Volatile.Read(ref _members).Length;

    public void LoadBlocks(IEnumerable<(string Blocker, string Blocked)> blocks)
    {
        lock (_lock)
        {
            foreach (var (blocker, blocked) in blocks)
            {
                _blocks[blocker] = BlockedBy(blocker).Add(blocked);
            }

            Publish();
        }
    }

    /// <summary>
    /// Puts the session in the room as <paramref name="user"/>, queues <paramref name="welcome"/>
    /// (with the first page of stored messages it carries) and tells the others it arrived (not
    /// those the user blocks), all in one step: nobody can slip in between. False when the
    /// account is online already. The caller then records the user on the session
    /// (<see cref="ChatSession.EnteredAs"/>) before it runs any command.
    /// </summary>
    public bool TryEnter(ChatSession session, string user, ChatWelcome welcome)
    {
        lock (_lock)
        {
            if (!_online.TryAdd(user, session))
            {
                return false;
            }

            // The welcome first, then the session joins the list broadcasts read.
            session.TryEnqueue(welcome, stored: welcome.Stored.Count);
            if (_log is null)
            {
                Publish();
            }
            else
            {
                // The room's last lines, then live ones: in one step with respect to broadcasts.
                lock (_log.Gate)
                {
                    _log.Replay(session, _blocks.GetValueOrDefault(user));
                    Publish();
                }
            }

            Presence(user, ChatEvent.LoggedIn(user));
            return true;
        }
    }

    /// <summary>
    /// Takes the session out of the room with its private chats; the others are told unless the
    /// server is stopping. A peer's side of a private chat stays: it is told the user is offline.
    /// </summary>
    public void Leave(ChatSession session, bool announce)
    {
        var user = session.User!;
        lock (_lock)
        {
            _private.Remove(session);
            if (!_online.TryGetValue(user, out var current) || current != session)
            {
                return;
            }

            _online.Remove(user);
            _lastLeft[user] = time.GetUtcNow();
            Publish();

            if (announce)
            {
                Presence(user, ChatEvent.LoggedOut(user));
            }
        }
    }

    public bool IsOnline(string user)
    {
        lock (_lock)
        {
            return _online.ContainsKey(user);
        }
    }

    public bool IsBlocking(string blocker, string blocked)
    {
        lock (_lock)
        {
            return Blocks(blocker, blocked);
        }
    }

    public DirectResult SendDirect(string sender, string recipient, string text)
    {
        lock (_lock)
        {
            if (Blocks(recipient, sender))
            {
                return DirectResult.Blocked;
            }

            if (!_online.TryGetValue(recipient, out var session))
            {
                return DirectResult.Offline;
            }

            session.TryEnqueue(ChatEvent.Direct(sender, text));
            return DirectResult.Delivered;
        }
    }

    /// <summary>Sends to everyone else online who has not blocked the sender; true when someone who blocked the sender missed it.</summary>
    public bool Broadcast(string sender, string text)
    {
        var line = new ChatSharedLine(ChatEvent.Broadcast(sender, text));
        if (_log is null)
        {
            return FanOut(sender, line);
        }

        lock (_log.Gate)
        {
            _log.Append(line);
            return FanOut(sender, line);
        }
    }

    /// <summary>
    /// A line the cluster's chat has stored and now delivers on this node, in id order
    /// (<see cref="Cluster.Chat.ClusterLineFeed"/>): like <see cref="Broadcast"/>, but it is stored already.
    /// </summary>
    public void Deliver(string sender, string text)
    {
        var line = new ChatSharedLine(ChatEvent.Broadcast(sender, text));
        if (_log is null)
        {
            FanOut(sender, line);
            return;
        }

        lock (_log.Gate)
        {
            _log.Keep(line);
            FanOut(sender, line);
        }
    }

    /// <summary>An arrival or departure on another node, told to the users here as a local one is.</summary>
    public void RemotePresence(string user, bool arrived)
    {
        lock (_lock)
        {
            Presence(user, arrived ? ChatEvent.LoggedIn(user) : ChatEvent.LoggedOut(user));
        }
    }

    /// <summary>The users who block <paramref name="sender"/>.</summary>
    public IReadOnlyList<string> BlockersOf(string sender)
    {
        lock (_lock)
        {
            return _blocks.Where(pair => pair.Value.Contains(sender)).Select(pair => pair.Key).ToList();
        }
    }

    /// <summary>Replaces every block with those stored (the cluster's chat, after Redis was away and a change may have been missed).</summary>
    public void ReplaceBlocks(IEnumerable<(string Blocker, string Blocked)> blocks)
    {
        lock (_lock)
        {
            _blocks.Clear();
            foreach (var (blocker, blocked) in blocks)
            {
                _blocks[blocker] = BlockedBy(blocker).Add(blocked);
            }

            Publish();
        }
    }

    private bool FanOut(string sender, ChatSharedLine line)
    {
        var missed = false;
        foreach (var member in Volatile.Read(ref _members))
        {
            if (member.User == sender)
            {
                continue;
            }

            if (member.Blocks?.Contains(sender) == true)
            {
                missed = true;
                continue;
            }

            member.Session.TryEnqueue(line);
        }

        return missed;
    }

    public IReadOnlyList<string> WhoElse(string user)
    {
        lock (_lock)
        {
            return _online.Keys.Where(u => u != user).Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Users other than <paramref name="user"/> logged in at any moment of the last <paramref name="seconds"/> (since the start).</summary>
    public IReadOnlyList<string> WhoElseSince(string user, long seconds)
    {
        var from = Since(time.GetUtcNow(), seconds);
        lock (_lock)
        {
            return _online.Keys
                .Concat(_lastLeft.Where(left => left.Value >= from).Select(left => left.Key))
                .Where(u => u != user)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>The start of the last <paramref name="seconds"/> (the beginning of time for a century or more).</summary>
    public static DateTimeOffset Since(DateTimeOffset now, long seconds) =>
        seconds >= 100L * 365 * 24 * 3600 ? DateTimeOffset.MinValue : now - TimeSpan.FromSeconds(seconds);

    public void Block(string blocker, string blocked)
    {
        lock (_lock)
        {
            _blocks[blocker] = BlockedBy(blocker).Add(blocked);
            Publish();
        }
    }

    public void Unblock(string blocker, string blocked)
    {
        lock (_lock)
        {
            if (_blocks.TryGetValue(blocker, out var set))
            {
                _blocks[blocker] = set.Remove(blocked);
                Publish();
            }
        }
    }

    /// <summary>Starts a private chat both ways; the peer is told. Refused when the peer blocks the asker.</summary>
    public (StartPrivateResult Result, int? PeerPort, string? PeerAddress) StartPrivate(ChatSession session, string peer)
    {
        var user = session.User!;
        lock (_lock)
        {
            if (!_online.TryGetValue(peer, out var other))
            {
                return (StartPrivateResult.Offline, null, null);
            }

            if (Blocks(peer, user))
            {
                return (StartPrivateResult.NotEnabled, null, null);
            }

            PrivateOf(session)[peer] = other;
            PrivateOf(other)[user] = session;
            other.TryEnqueue(ChatEvent.PrivateStarted(user));
            return (StartPrivateResult.Started, other.P2pPort, other.P2pPort is null ? null : other.Remote);
        }
    }

    /// <summary>
    /// The online session of <paramref name="peer"/> for a peer-to-peer chat the clients hold
    /// themselves (the JSON port's <c>startprivate</c>): nothing is recorded and the peer is not
    /// told (the asking client tells it). Refused when the peer blocks the asker, so its address
    /// is never disclosed to someone it blocked.
    /// </summary>
    public (PeerResult Result, ChatSession? Peer) FindPeer(string asker, string peer)
    {
        lock (_lock)
        {
            if (!_online.TryGetValue(peer, out var other))
            {
                return (PeerResult.Offline, null);
            }

            return Blocks(peer, asker) ? (PeerResult.Blocked, null) : (PeerResult.Found, other);
        }
    }

    /// <summary>Relays within a started private chat (a block made since does not end it).</summary>
    public PrivateResult SendPrivate(ChatSession session, string peer, string text)
    {
        lock (_lock)
        {
            if (!_private.TryGetValue(session, out var peers) || !peers.TryGetValue(peer, out var other))
            {
                return PrivateResult.NotEnabled;
            }

            if (!_online.TryGetValue(peer, out var current) || current != other)
            {
                return PrivateResult.Offline;
            }

            other.TryEnqueue(ChatEvent.Private(session.User!, text));
            return PrivateResult.Sent;
        }
    }

    /// <summary>Ends a private chat both ways; the peer is told if it is still the session the chat was started with.</summary>
    public bool StopPrivate(ChatSession session, string peer)
    {
        var user = session.User!;
        lock (_lock)
        {
            if (!_private.TryGetValue(session, out var peers) || !peers.Remove(peer, out var other))
            {
                return false;
            }

            if (peers.Count == 0)
            {
                _private.Remove(session);
            }

            if (_private.TryGetValue(other, out var back) && back.TryGetValue(user, out var started) && started == session)
            {
                back.Remove(user);
                if (back.Count == 0)
                {
                    _private.Remove(other);
                }
            }

            if (_online.TryGetValue(peer, out var current) && current == other)
            {
                other.TryEnqueue(ChatEvent.PrivateStopped(user));
            }

            return true;
        }
    }

    public IReadOnlyList<string> OnlineUsers()
    {
        lock (_lock)
        {
            return _online.Keys.Order(StringComparer.Ordinal).ToList();
        }
    }

    private void Presence(string subject, ChatEvent presence)
    {
        var line = new ChatSharedLine(presence);
        foreach (var (user, session) in _online)
        {
            if (user != subject && !Blocks(subject, user))
            {
                session.TryEnqueue(line);
            }
        }
    }

    /// <summary>
    /// Publishes who is online, with whom each blocks, for broadcasts to read without the lock;
    /// under the lock, after every change of either. The queue limit follows the room's size.
    /// </summary>
    private void Publish()
    {
        var members = new Member[_online.Count];
        var i = 0;
        foreach (var (user, session) in _online)
        {
            members[i++] = new Member(user, session, _blocks.TryGetValue(user, out var set) && !set.IsEmpty ? set : null);
        }

        Volatile.Write(ref _members, members);
        _limit.RoomHas(members.Length);
    }

    private Dictionary<string, ChatSession> PrivateOf(ChatSession session)
    {
        if (!_private.TryGetValue(session, out var peers))
        {
            _private[session] = peers = new Dictionary<string, ChatSession>(StringComparer.Ordinal);
        }

        return peers;
    }

    private bool Blocks(string blocker, string blocked) => _blocks.TryGetValue(blocker, out var set) && set.Contains(blocked);

    private ImmutableHashSet<string> BlockedBy(string blocker) =>
        _blocks.TryGetValue(blocker, out var set) ? set : ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    /// <summary>One user in the room as broadcasts see it: the session, and whom the user blocks (null: nobody).</summary>
    private sealed record Member(string User, ChatSession Session, ImmutableHashSet<string>? Blocks);
}
