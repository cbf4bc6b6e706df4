using Microsoft.AspNetCore.Connections;
using SocketHub.Protocol.Chat;
using SocketHub.Server.Chat;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

/// <summary>
/// Private chats are the room's to keep: started, relayed and ended by <see cref="ChatRoom"/>,
/// forgotten with the session that leaves, and nothing of them written on the sessions (two
/// rooms holding the same sessions keep apart what each started).
/// </summary>
public sealed class ChatRoomPrivateTests : IDisposable
{
    private readonly List<ChatSession> _sessions = [];

    public void Dispose()
    {
        foreach (var session in _sessions)
        {
            session.Dispose();
        }
    }

    [Fact]
    public void A_private_chat_is_relayed_both_ways_until_it_is_stopped()
    {
        var room = new ChatRoom(TimeProvider.System, new ChatSettings());
        var alice = Enter(room, "alice");
        var bob = Enter(room, "bob");
        Assert.Equal(PrivateResult.NotEnabled, room.SendPrivate(alice, "bob", "hi"));

        Assert.Equal(StartPrivateResult.Started, room.StartPrivate(alice, "bob").Result);
        Assert.Equal(PrivateResult.Sent, room.SendPrivate(alice, "bob", "hi"));
        Assert.Equal(PrivateResult.Sent, room.SendPrivate(bob, "alice", "hello"));

        Assert.True(room.StopPrivate(bob, "alice"));
        Assert.Equal(PrivateResult.NotEnabled, room.SendPrivate(alice, "bob", "still there?"));
        Assert.Equal(PrivateResult.NotEnabled, room.SendPrivate(bob, "alice", "no"));
        Assert.False(room.StopPrivate(alice, "bob"));
    }

    [Fact]
    public void The_room_keeps_its_private_chats_not_the_sessions()
    {
        var first = new ChatRoom(TimeProvider.System, new ChatSettings());
        var second = new ChatRoom(TimeProvider.System, new ChatSettings());
        var alice = Enter(first, "alice");
        var bob = Enter(first, "bob");
        Assert.True(second.TryEnter(alice, "alice", ChatWelcome.For("alice", [])));
        Assert.True(second.TryEnter(bob, "bob", ChatWelcome.For("bob", [])));

        Assert.Equal(StartPrivateResult.Started, first.StartPrivate(alice, "bob").Result);

        Assert.Equal(PrivateResult.Sent, first.SendPrivate(alice, "bob", "hi"));
        Assert.Equal(PrivateResult.NotEnabled, second.SendPrivate(alice, "bob", "hi"));
        Assert.Equal(PrivateResult.NotEnabled, second.SendPrivate(bob, "alice", "hi"));
        Assert.False(second.StopPrivate(alice, "bob"));
    }

    [Fact]
    public void Leaving_ends_the_leavers_private_chats_and_the_peer_hears_it_is_offline()
    {
        var room = new ChatRoom(TimeProvider.System, new ChatSettings());
        var alice = Enter(room, "alice");
        var bob = Enter(room, "bob");
        Assert.Equal(StartPrivateResult.Started, room.StartPrivate(alice, "bob").Result);

        room.Leave(bob, announce: true);

        Assert.Equal(PrivateResult.Offline, room.SendPrivate(alice, "bob", "hi"));
        Assert.Equal(PrivateResult.NotEnabled, room.SendPrivate(bob, "alice", "hi"));
        Assert.False(room.StopPrivate(bob, "alice"));

        // bob's new login is another session: not in the chat alice started.
        var bobAgain = Enter(room, "bob");
        Assert.Equal(PrivateResult.NotEnabled, room.SendPrivate(bobAgain, "alice", "back"));
        Assert.True(room.StopPrivate(alice, "bob"));
        Assert.Equal(PrivateResult.NotEnabled, room.SendPrivate(alice, "bob", "hi"));
    }

    [Fact]
    public void A_peer_that_blocks_the_asker_is_not_joined()
    {
        var room = new ChatRoom(TimeProvider.System, new ChatSettings());
        var alice = Enter(room, "alice");
        Enter(room, "bob");
        room.Block("bob", "alice");

        Assert.Equal(StartPrivateResult.NotEnabled, room.StartPrivate(alice, "bob").Result);
        Assert.Equal(PrivateResult.NotEnabled, room.SendPrivate(alice, "bob", "hi"));
        Assert.Equal(StartPrivateResult.Offline, room.StartPrivate(alice, "carol").Result);
    }

    private ChatSession Enter(ChatRoom room, string user)
    {
        var session = new ChatSession(new DefaultConnectionContext(), ChatDialect.Text, "127.0.0.1", new ChatQueueLimit(new ChatSettings()));
        _sessions.Add(session);
        Assert.True(room.TryEnter(session, user, ChatWelcome.For(user, [])));
        session.EnteredAs(user);
        return session;
    }
}
