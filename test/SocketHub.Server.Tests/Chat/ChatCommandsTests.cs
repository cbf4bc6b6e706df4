using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

/// <summary>
/// Every row of the chat's command table in the spec, with its exact texts, over the text dialect:
/// each user on an in-memory connection through the chat listener's own pipeline.
/// </summary>
public sealed class ChatCommandsTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await TestServer.StartAsync(ChatTestSettings.With());

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private Task<TextChatUser> LoginAsync(string name) => TextChatUser.LoginAsync(_server.ConnectInMemory("chat"), name);

    [Fact]
    public async Task Message_to_an_online_user_is_silent_for_the_sender()
    {
        await using var alice = await LoginAsync("alice");
        await using var bob = await LoginAsync("bob");
        await alice.ExpectAsync("bob logged in");

        await alice.SendAsync("message bob hello   there ");
        await bob.ExpectAsync("alice: hello   there ");
        await alice.ExpectNothingElseAsync();
    }

    [Fact]
    public async Task Message_errors()
    {
        await using var alice = await LoginAsync("alice");
        await alice.RoundTripAsync("message nobody hi", "Error. Invalid user");
        await alice.RoundTripAsync("message alice hi", "Error. Cannot message self");
        await alice.RoundTripAsync("message", "Error. Usage: message <user> <text>");
        await alice.RoundTripAsync("message bob", "Error. Usage: message <user> <text>");
        await alice.RoundTripAsync("message bob    ", "Error. Usage: message <user> <text>");
    }

    [Fact]
    public async Task Message_to_a_user_who_blocked_the_sender_is_refused()
    {
        await using var alice = await LoginAsync("alice");
        await using var bob = await LoginAsync("bob");
        await alice.ExpectAsync("bob logged in");
        await bob.RoundTripAsync("block alice", "alice is blocked");
        await alice.RoundTripAsync("message bob hi", "Your message could not be delivered as the recipient has blocked you");
        await bob.ExpectNothingElseAsync();
    }

    [Fact]
    public async Task Broadcast_reaches_everyone_else_and_tells_of_blockers()
    {
        await using var alice = await LoginAsync("alice");
        await using var bob = await LoginAsync("bob");
        await alice.ExpectAsync("bob logged in");

        await alice.SendAsync("broadcast hi all");
        await bob.ExpectAsync("alice (broadcast): hi all");
        await alice.ExpectNothingElseAsync();

        await bob.RoundTripAsync("block alice", "alice is blocked");
        await alice.RoundTripAsync("broadcast again", "Your message could not be delivered to some recipients");
        await bob.ExpectNothingElseAsync();

        await alice.RoundTripAsync("broadcast", "Error. Usage: broadcast <text>");
    }

    [Fact]
    public async Task Whoelse_lists_the_others_online_in_order()
    {
        await using var carol = await LoginAsync("carol");
        await carol.RoundTripAsync("whoelse", "End of list.");
        await using var alice = await LoginAsync("alice");
        await using var bob = await LoginAsync("bob");
        await carol.ExpectAsync("alice logged in", "bob logged in");
        await carol.RoundTripAsync("whoelse", "alice", "bob", "End of list.");
        await carol.RoundTripAsync("whoelse now", "Error. Usage: whoelse");
    }

    [Fact]
    public async Task Whoelsesince_includes_users_who_left_and_checks_its_number()
    {
        await using var alice = await LoginAsync("alice");
        var bob = await LoginAsync("bob");
        await alice.ExpectAsync("bob logged in");
        await bob.LogoutAsync();
        await alice.ExpectAsync("bob logged out");

        await alice.RoundTripAsync("whoelsesince 60", "bob", "End of list.");
        await alice.RoundTripAsync("whoelsesince 99999999999999999999999", "bob", "End of list.");
        await alice.RoundTripAsync("whoelsesince", "Error. Usage: whoelsesince <seconds>");
        await alice.RoundTripAsync("whoelsesince ten", "Error. Usage: whoelsesince <seconds>");
        await alice.RoundTripAsync("whoelsesince -5", "Error. Usage: whoelsesince <seconds>");
        await alice.RoundTripAsync("whoelsesince 5 6", "Error. Usage: whoelsesince <seconds>");
    }

    [Fact]
    public async Task Block_and_unblock_with_their_errors()
    {
        await using var alice = await LoginAsync("alice");
        await using var bob = await LoginAsync("bob");
        await alice.ExpectAsync("bob logged in");

        await alice.RoundTripAsync("block bob", "bob is blocked");
        await alice.RoundTripAsync("block bob", "bob is blocked");
        await alice.RoundTripAsync("block alice", "Error. Cannot block self");
        await alice.RoundTripAsync("block nobody", "Error. Invalid user");
        await alice.RoundTripAsync("block", "Error. Usage: block <user>");
        await alice.RoundTripAsync("unblock bob", "bob is unblocked");
        await alice.RoundTripAsync("unblock bob", "Error. bob was not blocked");
        await alice.RoundTripAsync("unblock alice", "Error. Cannot unblock self");
        await alice.RoundTripAsync("unblock nobody", "Error. Invalid user");
        await alice.RoundTripAsync("unblock", "Error. Usage: unblock <user>");

        // The blocked user is never told.
        await bob.ExpectNothingElseAsync();
    }

    [Fact]
    public async Task Private_chat_start_relay_and_stop()
    {
        await using var alice = await LoginAsync("alice");
        await using var bob = await LoginAsync("bob");
        await alice.ExpectAsync("bob logged in");

        await alice.RoundTripAsync("private bob hi", "Error. Private messaging to bob not enabled");
        await alice.RoundTripAsync("startprivate bob", "Start private messaging with bob");
        await bob.ExpectAsync("alice started a private chat with you");

        await alice.SendAsync("private bob psst");
        await bob.ExpectAsync("alice (private): psst");
        await bob.SendAsync("private alice back at you");
        await alice.ExpectAsync("bob (private): back at you");

        await alice.RoundTripAsync("stopprivate bob", "Private messaging with bob stopped");
        await bob.ExpectAsync("alice stopped the private chat");
        await alice.RoundTripAsync("stopprivate bob", "Error. No private session with bob");
        await alice.RoundTripAsync("private bob again", "Error. Private messaging to bob not enabled");
        await bob.RoundTripAsync("private alice again", "Error. Private messaging to alice not enabled");
    }

    [Fact]
    public async Task Startprivate_errors()
    {
        await using var alice = await LoginAsync("alice");
        var bob = await LoginAsync("bob");
        await using var carol = await LoginAsync("carol");
        await alice.ExpectAsync("bob logged in", "carol logged in");

        await alice.RoundTripAsync("startprivate nobody", "Error. Invalid user");
        await alice.RoundTripAsync("startprivate alice", "Error. Cannot start private with self");
        await alice.RoundTripAsync("startprivate", "Error. Usage: startprivate <user>");
        await carol.RoundTripAsync("block alice", "alice is blocked");
        await alice.RoundTripAsync("startprivate carol", "Error. Private messaging to carol not enabled");
        await bob.ExpectAsync("carol logged in");
        await bob.LogoutAsync();
        await alice.ExpectAsync("bob logged out");
        await alice.RoundTripAsync("startprivate bob", "Error. bob is offline");
        await alice.RoundTripAsync("private bob x", "Error. Private messaging to bob not enabled");
        await alice.RoundTripAsync("private", "Error. Usage: private <user> <text>");
        await alice.RoundTripAsync("stopprivate", "Error. Usage: stopprivate <user>");
    }

    [Fact]
    public async Task Private_chat_survives_a_later_block_but_not_the_peer_leaving()
    {
        await using var alice = await LoginAsync("alice");
        var bob = await LoginAsync("bob");
        await alice.ExpectAsync("bob logged in");
        await alice.RoundTripAsync("startprivate bob", "Start private messaging with bob");
        await bob.ExpectAsync("alice started a private chat with you");

        await bob.RoundTripAsync("block alice", "alice is blocked");
        await alice.SendAsync("private bob still here");
        await bob.ExpectAsync("alice (private): still here");

        await bob.LogoutAsync();
        await alice.ExpectNothingElseAsync(); // bob blocked alice: no presence line for her
        await alice.RoundTripAsync("private bob hello?", "Error. bob is offline");
    }

    [Fact]
    public async Task Help_lists_every_command()
    {
        await using var alice = await LoginAsync("alice");
        await alice.RoundTripAsync(
            "help",
            "Commands:",
            "message <user> <text>    send to one user (stored if they are offline)",
            "broadcast <text>         send to everyone online",
            "whoelse                  who else is online",
            "whoelsesince <seconds>   who else was online in the last <seconds>",
            "block <user>             stop receiving from <user>",
            "unblock <user>           receive from <user> again",
            "startprivate <user>      start a private chat with <user>",
            "private <user> <text>    send in a private chat",
            "stopprivate <user>       end a private chat",
            "help                     this list",
            "logout                   leave (also: disconnect)");
    }

    [Theory]
    [InlineData("logout")]
    [InlineData("disconnect")]
    public async Task Logout_says_goodbye_closes_and_tells_the_others(string command)
    {
        await using var alice = await LoginAsync("alice");
        await using var bob = await LoginAsync("bob");
        await alice.ExpectAsync("bob logged in");
        await bob.SendAsync(command);
        Assert.Equal("Goodbye.\n", await bob.Client.ReadToEndAsync());
        await alice.ExpectAsync("bob logged out");
    }

    [Theory]
    [InlineData("MESSAGE bob hi")]
    [InlineData("Whoelse")]
    [InlineData("hello")]
    [InlineData("login alice secret")]
    [InlineData("p2p 5000")]
    public async Task Anything_else_is_an_invalid_command(string line)
    {
        await using var alice = await LoginAsync("alice");
        await alice.RoundTripAsync(line, "Error. Invalid command");
    }

    [Fact]
    public async Task Empty_lines_are_ignored_and_every_line_end_works()
    {
        await using var alice = await LoginAsync("alice");
        await alice.Client.SendAsync("\n   \r\nwhoelse\r\nwhoelse\rwhoelse\n");
        await alice.ExpectAsync("End of list.", "End of list.", "End of list.");
        await alice.ExpectNothingElseAsync();
    }

    [Fact]
    public async Task Invalid_utf8_gets_an_error_and_the_connection_stays()
    {
        await using var alice = await LoginAsync("alice");
        await alice.Client.SendAsync([(byte)'w', 0xC3, 0x28, (byte)'\n']);
        await alice.ExpectAsync("Error. Text must be UTF-8");
        await alice.RoundTripAsync("whoelse", "End of list.");
    }

    [Fact]
    public async Task Non_ascii_text_is_relayed_as_typed()
    {
        await using var alice = await LoginAsync("alice");
        await using var bob = await LoginAsync("bob");
        await alice.ExpectAsync("bob logged in");
        await alice.SendAsync("message bob héllo 日本 😀");
        await bob.ExpectAsync("alice: héllo 日本 😀");
    }
}
