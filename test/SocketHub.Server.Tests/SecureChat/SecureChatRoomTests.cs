using SocketHub.Server.Tests.Chat;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.SecureChat;

/// <summary>One room: secure users, telnet users and JSON users hear each other.</summary>
public sealed class SecureChatRoomTests
{
    [Fact]
    public async Task A_secure_users_line_reaches_a_telnet_user_and_a_telnet_broadcast_reaches_it_decrypted()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var carol = await TextChatUser.LoginAsync(server, "carol");
        await using var alice = await SecureChatUsers.LoginAsync(server, "alice");
        await carol.ExpectAsync("alice logged in");

        await alice.SayAsync("hello from the secure side");
        await carol.ExpectAsync("alice (broadcast): hello from the secure side");

        await carol.RoundTripAsync("broadcast hi back, héllo 😀");
        Assert.Equal("carol: hi back, héllo 😀\n", await alice.ReceiveAsync());
    }

    [Fact]
    public async Task Two_secure_users_hear_each_other_in_the_originals_form_and_json_users_hear_them()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var jane = await JsonChatUser.LoginAsync(server, "jane");
        await using var alice = await SecureChatUsers.LoginAsync(server, "alice");
        await using var bob = await SecureChatUsers.LoginAsync(server, "bob");
        Assert.Equal("bob: [ CONNECTED ]", await alice.ReceiveAsync());
        Assert.Contains("\"message\": \"alice is online!\"", await jane.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Contains("\"message\": \"bob is online!\"", await jane.ReadLineAsync(), StringComparison.Ordinal);

        await bob.SayAsync("hello from bob");

        Assert.Equal("bob: hello from bob\n", await alice.ReceiveAsync());
        Assert.Contains("\"sender\": \"bob\", \"message\": \"hello from bob\"", await jane.ReadLineAsync(), StringComparison.Ordinal);
        await bob.ExpectNothingElseAsync();
    }

    [Fact]
    public async Task Arrivals_and_departures_of_others_are_connected_and_disconnected()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var alice = await SecureChatUsers.LoginAsync(server, "alice");

        await using (var carol = await TextChatUser.LoginAsync(server, "carol"))
        {
            Assert.Equal("carol: [ CONNECTED ]", await alice.ReceiveAsync());
            await carol.LogoutAsync();
        }

        Assert.Equal("carol: [ DISCONNECTED ]", await alice.ReceiveAsync());

        var bob = await SecureChatUsers.LoginAsync(server, "bob");
        Assert.Equal("bob: [ CONNECTED ]", await alice.ReceiveAsync());
        await bob.DisconnectAsync();
        Assert.Equal("bob: [ DISCONNECTED ]", await alice.ReceiveAsync());
        await bob.DisposeAsync();
    }

    [Fact]
    public async Task Disconnect_ends_the_session_and_the_room_hears_it()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var carol = await TextChatUser.LoginAsync(server, "carol");
        await using var alice = await SecureChatUsers.LoginAsync(server, "alice");
        await carol.ExpectAsync("alice logged in");

        await alice.DisconnectAsync();

        await carol.ExpectAsync("alice logged out");
        await carol.RoundTripAsync("whoelse", "End of list.");
    }

    [Fact]
    public async Task A_client_that_just_closes_leaves_the_room_too()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var carol = await TextChatUser.LoginAsync(server, "carol");
        var alice = await SecureChatUsers.LoginAsync(server, "alice");
        await carol.ExpectAsync("alice logged in");

        await alice.DisposeAsync();

        await carol.ExpectAsync("alice logged out");
    }

    [Fact]
    public async Task Slash_commands_run_the_rooms_commands_and_answer_as_server()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var carol = await TextChatUser.LoginAsync(server, "carol");
        await using var alice = await SecureChatUsers.LoginAsync(server, "alice");
        await carol.ExpectAsync("alice logged in");

        await alice.SayAsync("/whoelse");
        Assert.Equal("SERVER: carol\nEnd of list.\n", await alice.ReceiveAsync());

        await alice.SayAsync("/message carol just for you");
        await carol.ExpectAsync("alice: just for you");
        await carol.RoundTripAsync("message alice and back");
        Assert.Equal("carol (to you): and back\n", await alice.ReceiveAsync());

        await alice.SayAsync("/dance");
        Assert.Equal("SERVER: Error. Invalid command\n", await alice.ReceiveAsync());
        await alice.SayAsync("/message carol");
        Assert.Equal("SERVER: Error. Usage: message <user> <text>\n", await alice.ReceiveAsync());

        await alice.SayAsync("/help");
        var help = await alice.ReceiveAsync();
        Assert.StartsWith("SERVER: Type a line to say it to everyone; disconnect to leave.\nCommands:\n/message <user> <text>", help, StringComparison.Ordinal);
        while (!help.Contains("/logout", StringComparison.Ordinal))
        {
            help = await alice.ReceiveAsync();
        }
    }

    [Fact]
    public async Task Logout_says_goodbye_and_closes()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var alice = await SecureChatUsers.LoginAsync(server, "alice");

        await alice.SayAsync("/logout");

        Assert.Equal("SERVER: Goodbye.\n", await alice.ReceiveAsync());
        Assert.Empty(await alice.ReadToEndAsync());
    }

    [Fact]
    public async Task A_telnet_line_longer_than_one_rsa_block_arrives_split_into_messages_that_each_fit()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var carol = await TextChatUser.LoginAsync(server, "carol");
        await using var alice = await SecureChatUsers.LoginAsync(server, "alice");
        await carol.ExpectAsync("alice logged in");
        var text = string.Concat(Enumerable.Range(0, 100).Select(i => $"w{i:000}é "));

        await carol.RoundTripAsync("broadcast " + text);

        var received = "";
        while (received.Length < text.Length)
        {
            var message = await alice.ReceiveAsync();
            Assert.True(System.Text.Encoding.UTF8.GetByteCount(message) <= 190);
            Assert.StartsWith("carol: ", message, StringComparison.Ordinal);
            received += message["carol: ".Length..^1];
        }

        Assert.Equal(text, received);
    }

    [Fact]
    public async Task Several_lines_in_one_message_are_several_lines()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var carol = await TextChatUser.LoginAsync(server, "carol");
        await using var alice = await SecureChatUsers.LoginAsync(server, "alice");
        await carol.ExpectAsync("alice logged in");

        await alice.SendEncryptedAsync("one\r\ntwo\n\nthree");

        await carol.ExpectAsync("alice (broadcast): one", "alice (broadcast): two", "alice (broadcast): three");
    }

    [Fact]
    public async Task Broadcasts_count_in_the_users_statistics_for_audit()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var alice = await SecureChatUsers.LoginAsync(server, "alice");

        await alice.SayAsync("one");
        await alice.SayAsync("two");
        await alice.ExpectNothingElseAsync();

        var audit = server.App.Services.GetService(typeof(SocketHub.Server.Chat.ChatAudit)) as SocketHub.Server.Chat.ChatAudit;
        var stats = audit!.User("alice")!;
        Assert.Equal(2, stats.BroadcastsSent);
        Assert.Equal(1, stats.Logons);
    }

    [Fact]
    public async Task An_idle_user_is_logged_out_with_a_server_message()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With("Chat:TimeoutSeconds=0.5"));
        await using var alice = await SecureChatUsers.LoginAsync(server, "alice");

        Assert.Equal("SERVER: You have been logged out due to inactivity.\n", await alice.ReceiveAsync());
        Assert.Empty(await alice.ReadToEndAsync());
    }

    [Fact]
    public async Task Stopping_the_server_sends_the_originals_alert_and_closes()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var alice = await SecureChatUsers.LoginAsync(server, "alice");
        await using var bob = await SecureChatUsers.LoginAsync(server, "bob");
        Assert.Equal("bob: [ CONNECTED ]", await alice.ReceiveAsync());
        await using var halfway = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));

        var stopped = server.StopAsync().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal("SERVER: [ ALERT ] Server shutting down...", await alice.ReceiveAsync());
        Assert.Equal("SERVER: [ ALERT ] Server shutting down...", await bob.ReceiveAsync());
        Assert.Empty(await alice.ReadToEndAsync());
        Assert.Empty(await bob.ReadToEndAsync());
        // Before its key exchange a connection cannot be told anything readable: it is closed.
        Assert.Empty(await halfway.ReadToEndAsync());
        await stopped;
    }

    [Fact]
    public async Task The_server_key_survives_a_restart()
    {
        using var data = new TempDirectory();
        string first;
        await using (var server = await TestServer.StartInAsync(data.Path, ChatTestSettings.With()))
        {
            await using var alice = await SecureChatUsers.LoginAsync(server, "alice");
            first = alice.ServerKeyPem!;
        }

        await using (var server = await TestServer.StartInAsync(data.Path, ChatTestSettings.With()))
        {
            await using var alice = await SecureChatUsers.LoginAsync(server, "alice");
            Assert.Equal(first, alice.ServerKeyPem);
        }
    }

    [Fact]
    public async Task The_secure_chat_counts_on_the_meter_in_audit_and_on_the_instructors_feed()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using (var alice = await SecureChatUsers.LoginAsync(server, "alice"))
        {
            await alice.SayAsync("counted");
            await alice.DisconnectAsync();
        }

        await using var probe = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));
        Assert.Equal("FAILURE", await probe.TryLoginAsync("alice", "wrong"));

        var seen = MeterReadings.Read(server);
        Assert.Equal(2, seen["sockethub.connections.total secure-chat"]);
        // Frames read: alice's name, password, key, line and disconnect; the probe's name and password.
        Assert.Equal(7, seen["sockethub.requests secure-chat"]);
        Assert.Equal(1, seen["sockethub.errors secure-chat"]);
        var feed = server.App.Services.GetService(typeof(SocketHub.Server.Ops.ActivityFeed)) as SocketHub.Server.Ops.ActivityFeed;
        Assert.Contains(feed!.Recent(), e => e.Dialect == "secure-chat" && e.Text == "alice logged in from 127.0.0.1");
    }
}
