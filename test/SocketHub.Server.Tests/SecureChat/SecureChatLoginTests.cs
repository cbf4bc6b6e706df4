using SocketHub.Server.Tests.Chat;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.SecureChat;

/// <summary>The original's login: username and password in clear, <c>OK</c> and the welcome, or <c>FAILURE</c> and again.</summary>
public sealed class SecureChatLoginTests
{
    [Fact]
    public async Task A_new_user_is_registered_welcomed_and_exchanges_keys()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var alice = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));

        Assert.Equal("OK", await alice.TryLoginAsync("alice", "pw1"));
        Assert.Equal("Welcome alice\n" + SecureChatUsers.Greeting, await alice.ReceiveClearAsync());
        await alice.ExchangeKeysAsync();

        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", alice.ServerKeyPem, StringComparison.Ordinal);
        Assert.Equal(451, alice.ServerKeyPem!.Length);
        Assert.Equal("alice: [ CONNECTED ]", await alice.ReceiveAsync());
    }

    [Fact]
    public async Task An_existing_user_gets_failure_for_a_wrong_password_then_logs_in_on_the_same_connection()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await (await SecureChatUsers.LoginAsync(server, "bob", "right")).DisconnectAsync();
        await using var bob = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));

        Assert.Equal("FAILURE", await bob.TryLoginAsync("bob", "wrong"));
        Assert.Equal("OK", await bob.TryLoginAsync("bob", "right"));
        Assert.Equal("Welcome bob\n" + SecureChatUsers.Greeting, await bob.ReceiveClearAsync());
        await bob.ExchangeKeysAsync();
        Assert.Equal("bob: [ CONNECTED ]", await bob.ReceiveAsync());
    }

    [Fact]
    public async Task The_username_is_stripped_and_the_password_taken_as_sent()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using (var first = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server)))
        {
            Assert.Equal("OK", await first.TryLoginAsync("  carol \t", " pass "));
        }

        await using var again = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));
        Assert.Equal("FAILURE", await again.TryLoginAsync("carol", "pass"));
        Assert.Equal("OK", await again.TryLoginAsync("carol", " pass "));
    }

    [Fact]
    public async Task Accounts_are_the_chats_a_secure_user_logs_in_on_the_text_port_and_back()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await (await SecureChatUsers.LoginAsync(server, "dana", "danas")).DisconnectAsync();
        await TextChatUser.RegisterAsync(server, "dana", "danas");
        await TextChatUser.RegisterAsync(server, "erin", "erins");

        await using var erin = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));
        Assert.Equal("FAILURE", await erin.TryLoginAsync("erin", "danas"));
        Assert.Equal("OK", await erin.TryLoginAsync("erin", "erins"));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("waytoolongusername_waytoolongusername")]
    [InlineData("")]
    [InlineData("ünï")]
    public async Task An_invalid_username_fails_and_may_try_again(string name)
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var client = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));

        Assert.Equal("FAILURE", await client.TryLoginAsync(name, "pw"));
        Assert.Equal("OK", await client.TryLoginAsync("valid", "pw"));
    }

    [Fact]
    public async Task A_name_or_password_that_is_not_utf8_fails()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var client = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));

        await client.SendRawAsync([.. "2".PadRight(64).Select(c => (byte)c), 0xff, 0xfe, .. "2".PadRight(64).Select(c => (byte)c), (byte)'p', (byte)'w']);
        Assert.Equal("FAILURE", await client.ReceiveClearAsync());
    }

    [Fact]
    public async Task An_account_already_in_the_room_fails()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var alice = await TextChatUser.LoginAsync(server, "alice");
        await using var again = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));

        Assert.Equal("FAILURE", await again.TryLoginAsync("alice", "secret"));
    }

    [Fact]
    public async Task Five_failed_logins_close_the_connection_as_the_original_server_does()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var client = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("FAILURE", await client.TryLoginAsync("bad name " + i, "pw"));
        }

        Assert.Empty(await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Three_wrong_passwords_block_the_account_as_on_the_other_chat_ports()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await TextChatUser.RegisterAsync(server, "frank", "franks");
        await using var client = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));

        Assert.Equal("FAILURE", await client.TryLoginAsync("frank", "no1"));
        Assert.Equal("FAILURE", await client.TryLoginAsync("frank", "no2"));
        Assert.Equal("FAILURE", await client.TryLoginAsync("frank", "no3"));
        Assert.Empty(await client.ReadToEndAsync());

        // Blocked now, even with the right password, on this port and on the text port.
        await using var later = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));
        Assert.Equal("FAILURE", await later.TryLoginAsync("frank", "franks"));
        Assert.Empty(await later.ReadToEndAsync());
        await using var telnet = await TextChatUser.ConnectAsync(server);
        Assert.Equal("Username: ", await telnet.ReadUntilAsync(": "));
        await telnet.SendAsync("frank\n");
        Assert.Equal("Your account is blocked due to multiple login failures. Please try again later", await telnet.ReadLineAsync());
    }

    [Fact]
    public async Task A_login_that_takes_too_long_is_told_in_a_clear_frame_and_closed()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With("Chat:LoginTimeoutSeconds=0.5"));
        await using var client = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));

        Assert.Equal("Error. Login timed out", await client.ReceiveClearAsync());
        Assert.Empty(await client.ReadToEndAsync());
    }

    [Fact]
    public async Task The_login_time_covers_the_key_exchange_too()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With("Chat:LoginTimeoutSeconds=2"));
        await using var client = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));
        Assert.Equal("OK", await client.TryLoginAsync("slow", "pw"));
        Assert.StartsWith("Welcome slow\n", await client.ReceiveClearAsync(), StringComparison.Ordinal);

        // No key sent: the login time runs out.
        Assert.Equal("Error. Login timed out", await client.ReceiveClearAsync());
        Assert.Empty(await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Of_two_logins_racing_past_ok_only_the_first_to_finish_its_key_exchange_enters()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var first = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));
        await using var second = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));
        Assert.Equal("OK", await first.TryLoginAsync("gina", "ginas"));
        await first.ReceiveClearAsync();
        Assert.Equal("OK", await second.TryLoginAsync("gina", "ginas"));
        await second.ReceiveClearAsync();

        await first.ExchangeKeysAsync();
        Assert.Equal("gina: [ CONNECTED ]", await first.ReceiveAsync());
        await second.ExchangeKeysAsync();

        Assert.Equal("SERVER: This account is already logged in.\n", await second.ReceiveAsync());
        Assert.Empty(await second.ReadToEndAsync());
        await first.ExpectNothingElseAsync();
    }
}
