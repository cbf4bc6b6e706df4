using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

/// <summary>Several users in the one room: delivery, blocks, presence and offline messages together.</summary>
public sealed class ChatRoomTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await TestServer.StartAsync(ChatTestSettings.With());

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private Task<TextChatUser> LoginAsync(string name) => TextChatUser.LoginAsync(_server, name);

    [Fact]
    public async Task Three_users_message_broadcast_and_see_presence_through_their_blocks()
    {
        await using var alice = await LoginAsync("alice");
        await using var bob = await LoginAsync("bob");
        await alice.ExpectAsync("bob logged in");
        var carol = await LoginAsync("carol");
        await alice.ExpectAsync("carol logged in");
        await bob.ExpectAsync("carol logged in");

        await alice.SendAsync("message carol hi carol");
        await carol.ExpectAsync("alice: hi carol");
        await carol.SendAsync("message alice hi alice");
        await alice.ExpectAsync("carol: hi alice");

        // bob blocks alice: her broadcast reaches carol only, and she is told some missed it.
        await bob.RoundTripAsync("block alice", "alice is blocked");
        await alice.RoundTripAsync("broadcast hello room", "Your message could not be delivered to some recipients");
        await carol.ExpectAsync("alice (broadcast): hello room");
        await bob.SendAsync("broadcast from bob");
        await alice.ExpectAsync("bob (broadcast): from bob");
        await carol.ExpectAsync("bob (broadcast): from bob");

        // carol blocks bob: bob is not told when carol comes and goes; alice is.
        await carol.RoundTripAsync("block bob", "bob is blocked");
        await carol.LogoutAsync();
        await alice.ExpectAsync("carol logged out");
        carol = await LoginAsync("carol");
        await alice.ExpectAsync("carol logged in");
        await bob.ExpectNothingElseAsync();

        await carol.RoundTripAsync("whoelse", "alice", "bob", "End of list.");
        await carol.DisposeAsync();
        await alice.ExpectAsync("carol logged out");
        await bob.ExpectNothingElseAsync();
        await alice.ExpectNothingElseAsync();
    }

    [Fact]
    public async Task Offline_messages_are_delivered_once_after_the_welcome_and_before_the_arrival_is_announced()
    {
        await TextChatUser.RegisterAsync(_server, "dave");
        await using var alice = await LoginAsync("alice");
        await using var bob = await LoginAsync("bob");
        await alice.ExpectAsync("bob logged in");

        await alice.RoundTripAsync("whoelse", "bob", "End of list.");
        // Each send is done (silently) before the next, so the order is known.
        await alice.SendAsync("message dave first");
        await alice.ExpectNothingElseAsync();
        await bob.SendAsync("message dave second");
        await bob.ExpectNothingElseAsync();
        await alice.SendAsync("message dave third");
        await alice.ExpectNothingElseAsync();

        var dave = await LoginAsync("dave");
        await dave.ExpectAsync("alice: first", "bob: second", "alice: third");
        await alice.ExpectAsync("dave logged in");
        await bob.ExpectAsync("dave logged in");
        await dave.ExpectNothingElseAsync();
        await dave.LogoutAsync();
        await dave.DisposeAsync();

        await using var again = await LoginAsync("dave");
        await again.ExpectNothingElseAsync();
    }

    [Fact]
    public async Task A_user_who_blocked_the_sender_gets_no_offline_message_either()
    {
        await TextChatUser.RegisterAsync(_server, "alice");
        var dave = await LoginAsync("dave");
        await dave.RoundTripAsync("block alice", "alice is blocked");
        await dave.LogoutAsync();
        await dave.DisposeAsync();

        await using var alice = await TextChatUser.LoginAsync(_server, "alice");
        await alice.RoundTripAsync("message dave hi", "Your message could not be delivered as the recipient has blocked you");
        await using var back = await LoginAsync("dave");
        await back.ExpectNothingElseAsync();
    }

    [Fact]
    public async Task A_backlog_longer_than_the_outgoing_queue_arrives_whole_and_in_order()
    {
        const int count = 50;
        await using var server = await TestServer.StartAsync(
            ChatTestSettings.With("Chat:OutgoingQueueLimit=16", "Chat:LinesPerSecond=1000", "Chat:LineBurst=1000"));
        await TextChatUser.RegisterAsync(server, "dave");
        await using (var alice = await TextChatUser.LoginAsync(server, "alice"))
        {
            await alice.Client.SendAsync(string.Concat(Enumerable.Range(0, count).Select(i => $"message dave note {i}\n")));
            await alice.ExpectNothingElseAsync();
        }

        await using (var dave = await TextChatUser.LoginAsync(server, "dave"))
        {
            await dave.ExpectAsync([.. Enumerable.Range(0, count).Select(i => $"alice: note {i}")]);
            await dave.ExpectNothingElseAsync();
            await dave.LogoutAsync();
        }

        await using var again = await TextChatUser.LoginAsync(server, "dave");
        await again.ExpectNothingElseAsync();
    }
}
