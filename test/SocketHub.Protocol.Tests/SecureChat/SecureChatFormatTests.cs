using SocketHub.Protocol.Chat;
using SocketHub.Protocol.SecureChat;
using Xunit;

namespace SocketHub.Protocol.Tests.SecureChat;

public sealed class SecureChatFormatTests
{
    private static IReadOnlyList<string> Format(ChatOutput output) => SecureChatFormat.Messages(output, 190);

    [Fact]
    public void A_broadcast_is_sender_colon_text_with_a_line_end() =>
        Assert.Equal(["carol: hi from telnet\n"], Format(ChatEvent.Broadcast("carol", "hi from telnet")));

    [Fact]
    public void Presence_is_the_originals_connected_and_disconnected()
    {
        Assert.Equal(["bob: [ CONNECTED ]"], Format(ChatEvent.LoggedIn("bob")));
        Assert.Equal(["bob: [ DISCONNECTED ]"], Format(ChatEvent.LoggedOut("bob")));
    }

    [Fact]
    public void The_shutdown_alert_is_the_originals_word_for_word() =>
        Assert.Equal(["SERVER: [ ALERT ] Server shutting down..."], Format(ChatEvent.Server(ChatTexts.ShuttingDown)));

    [Fact]
    public void Other_server_notices_are_server_messages() =>
        Assert.Equal(["SERVER: You have been logged out due to inactivity.\n"], Format(ChatEvent.Server(ChatTexts.Inactivity)));

    [Fact]
    public void Control_characters_in_a_users_text_are_shown_as_escapes_and_stay_in_one_message()
    {
        // A JSON user's line break would otherwise print a "SERVER: ..." line of the user's own
        // making in the original client's terminal; ESC would reach that terminal raw.
        Assert.Equal(
            ["mallory: hi\\nSERVER: [ ALERT ] Server shutting down...\n"],
            Format(ChatEvent.Broadcast("mallory", "hi\nSERVER: [ ALERT ] Server shutting down...")));
        Assert.Equal(["mallory (to you): \\x1b]52;c;aGk=\\x07 \\r\n"], Format(ChatEvent.Direct("mallory", "\u001b]52;c;aGk=\u0007 \r")));
        Assert.Equal(["mallory (private): tab\tkept\n"], Format(ChatEvent.Private("mallory", "tab\tkept")));
        Assert.Equal(["SERVER: Error. No private session with \\x1b[2J\n"], Format(ChatReply.Fail("stopprivate", "Error. No private session with \u001b[2J")));
    }

    [Fact]
    public void A_direct_message_says_it_is_to_you() =>
        Assert.Equal(["alice (to you): psst\n"], Format(ChatEvent.Direct("alice", "psst")));

    [Fact]
    public void A_private_chat_message_and_its_start() 
    {
        Assert.Equal(["alice (private): p\n"], Format(ChatEvent.Private("alice", "p")));
        Assert.Equal(["SERVER: alice started a private chat with you\n"], Format(ChatEvent.PrivateStarted("alice")));
    }

    [Fact]
    public void Replies_are_server_messages_and_a_silent_reply_is_nothing()
    {
        Assert.Equal(["SERVER: Error. Invalid command\n"], Format(ChatReply.Fail(null, ChatTexts.InvalidCommand)));
        Assert.Equal(["SERVER: bob\nEnd of list.\n"], Format(ChatReply.List("whoelse", ["bob"])));
        Assert.Empty(Format(ChatReply.Ok("message")));
        Assert.Empty(Format(ChatPrompt.Username));
    }

    [Fact]
    public void A_telnet_line_of_1000_bytes_reaches_the_secure_client_in_pieces_that_each_fit_one_block()
    {
        var text = new string('t', 1000);

        var messages = Format(ChatEvent.Broadcast("carol", text));

        Assert.Equal(6, messages.Count);
        Assert.Equal(text, string.Concat(messages.Select(m => m["carol: ".Length..^1])));
    }
}
