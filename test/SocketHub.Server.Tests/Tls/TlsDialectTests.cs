using System.Buffers;
using System.Text;
using SocketHub.Protocol.SecureChat;
using SocketHub.Server.Tests.Chat;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Tls;

/// <summary>Every dialect speaks its own protocol, unchanged, inside TLS on its TLS port.</summary>
public sealed class TlsDialectTests
{
    [Fact]
    public async Task The_board_posts_and_lists_through_tls()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TlsServer.ConnectAsync(server, "board");

        await client.SendAsync("POSThello over TLS%\n");
        Assert.Equal("MSGPosting Message!%", await client.ReadUntilAsync("%"));
        await client.SendAsync("GET%\n");
        Assert.Equal("MSG[(1, 'Server has Started'), (2, 'hello over TLS')]%", await client.ReadUntilAsync("%"));
    }

    [Fact]
    public async Task The_history_answers_one_request_then_closes_through_tls()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TlsServer.ConnectAsync(server, "history");

        await client.SendAsync("new\n");
        Assert.StartsWith("Your username is ", await client.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_crypto_service_encrypts_and_decrypts_through_tls()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TlsServer.ConnectAsync(server, "crypto");

        await client.SendAsync("#en#secret text#\n");
        var encrypted = await client.ReadUntilAsync("#\n");
        Assert.StartsWith("#en#", encrypted, StringComparison.Ordinal);
        await client.SendAsync($"#de#{encrypted[4..^2]}#\n");
        Assert.Equal("#de#secret text#\n", await client.ReadUntilAsync("#\n"));
    }

    [Fact]
    public async Task The_text_chat_logs_in_and_talks_through_tls_to_a_user_on_the_plain_port()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var plain = await TextChatUser.LoginAsync(server, "bob");
        await using var client = await TlsServer.ConnectAsync(server, "chat");

        Assert.Equal("Username: ", await client.ReadUntilAsync(": "));
        await client.SendAsync("alice\r\n");
        Assert.Equal("Password: ", await client.ReadUntilAsync(": "));
        await client.SendAsync("secret\r\n");
        Assert.Contains("Welcome", await client.ReadUntilAsync("\n"), StringComparison.Ordinal);
        await client.SendAsync("message bob hello from TLS\r\n");

        Assert.Contains("alice: hello from TLS", await plain.Client.ReadUntilAsync("hello from TLS\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_json_chat_logs_in_through_tls()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var client = await TlsServer.ConnectAsync(server, "chat-json");

        await client.SendAsync(JsonChatUser.Request("login", "carol", "secret"));
        Assert.Equal(JsonChatUser.Welcome("carol") + "\n", await client.ReadUntilAsync("\n"));
    }

    [Fact]
    public async Task The_secure_chat_frames_its_answers_the_same_inside_tls()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var client = await TlsServer.ConnectAsync(server, "secure-chat");

        // A terminal user on the secure chat's port gets the dialect's framed error, as on the plain port.
        await client.SendAsync("alice\r\n");
        var expected = new ArrayBufferWriter<byte>();
        SecureChatFraming.WriteText(expected, "Error. Header byte 0 is 0x61, not part of a decimal length; closing");
        Assert.Equal(Encoding.UTF8.GetString(expected.WrittenSpan), await client.ReadToEndAsync());
    }
}
