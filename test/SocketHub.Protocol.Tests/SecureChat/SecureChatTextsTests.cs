using System.Text;
using SocketHub.Protocol.SecureChat;
using Xunit;

namespace SocketHub.Protocol.Tests.SecureChat;

public sealed class SecureChatTextsTests
{
    [Fact]
    public void Presence_lines_are_the_originals() 
    {
        Assert.Equal("alice: [ CONNECTED ]", SecureChatTexts.ConnectedLine("alice"));
        Assert.Equal("bob2: [ DISCONNECTED ]", SecureChatTexts.DisconnectedLine("bob2"));
    }

    [Fact]
    public void A_chat_line_is_sender_colon_text_with_the_line_end_the_original_client_typed() =>
        Assert.Equal(["bob: hello from bob\n"], SecureChatTexts.ChatMessages("bob", "hello from bob", 190));

    [Fact]
    public void An_empty_text_is_one_message() =>
        Assert.Equal(["bob: \n"], SecureChatTexts.ChatMessages("bob", "", 190));

    [Fact]
    public void A_line_too_long_for_one_block_is_split_into_messages_that_each_fit()
    {
        var text = new string('x', 1000);

        var messages = SecureChatTexts.ChatMessages("carol", text, 190);

        Assert.All(messages, m => Assert.True(Encoding.UTF8.GetByteCount(m) <= 190));
        Assert.All(messages, m => Assert.StartsWith("carol: ", m, StringComparison.Ordinal));
        Assert.All(messages, m => Assert.EndsWith("\n", m, StringComparison.Ordinal));
        Assert.Equal(text, string.Concat(messages.Select(m => m["carol: ".Length..^1])));
        Assert.Equal(182, messages[0].Length - "carol: ".Length - 1);
        Assert.Equal(6, messages.Count);
    }

    [Fact]
    public void Splits_never_cut_a_character()
    {
        // 4-byte emoji: 182 bytes of room hold 45 of them (180 bytes), not 45.5.
        var text = string.Concat(Enumerable.Repeat("😀", 100));

        var messages = SecureChatTexts.ChatMessages("carol", text, 190);

        Assert.Equal(text, string.Concat(messages.Select(m => m["carol: ".Length..^1])));
        Assert.Equal(45 * 2, messages[0]["carol: ".Length..^1].Length);
        Assert.All(messages, m => Assert.True(Encoding.UTF8.GetByteCount(m) <= 190));
    }

    [Fact]
    public void A_split_on_an_exact_boundary_makes_no_empty_last_message()
    {
        var messages = SecureChatTexts.ChatMessages("c", new string('y', 2 * 186), 190);

        Assert.Equal(2, messages.Count);
    }

    [Fact]
    public void Server_lines_are_packed_while_they_fit()
    {
        var messages = SecureChatTexts.ServerMessages("alice\nbob\nEnd of list.", 190);

        Assert.Equal(["SERVER: alice\nbob\nEnd of list.\n"], messages);
    }

    [Fact]
    public void Server_lines_go_on_in_a_next_message_when_the_first_is_full()
    {
        var lines = Enumerable.Range(0, 40).Select(i => $"user{i:00}").ToList();

        var messages = SecureChatTexts.ServerMessages(string.Join('\n', lines), 190);

        Assert.True(messages.Count > 1);
        Assert.All(messages, m => Assert.StartsWith("SERVER: ", m, StringComparison.Ordinal));
        Assert.All(messages, m => Assert.True(Encoding.UTF8.GetByteCount(m) <= 190));
        Assert.Equal(lines, messages.SelectMany(m => m["SERVER: ".Length..].TrimEnd('\n').Split('\n')));
    }

    [Fact]
    public void A_server_line_longer_than_a_message_is_split()
    {
        var messages = SecureChatTexts.ServerMessages("short\n" + new string('z', 400), 190);

        Assert.Equal("SERVER: short\n", messages[0]);
        Assert.Equal(new string('z', 400), string.Concat(messages.Skip(1).Select(m => m["SERVER: ".Length..^1])));
    }

    [Theory]
    [InlineData("hello\n", new[] { "hello" })]
    [InlineData("hello", new[] { "hello" })]
    [InlineData("hello\r\n", new[] { "hello" })]
    [InlineData("disconnect\n", new[] { "disconnect" })]
    [InlineData("one\ntwo\n", new[] { "one", "two" })]
    [InlineData("\n", new[] { "" })]
    [InlineData("", new string[0])]
    [InlineData("a\n\nb", new[] { "a", "", "b" })]
    public void A_message_is_read_as_lines_without_their_line_ends(string message, string[] lines) =>
        Assert.Equal(lines, SecureChatTexts.InputLines(message));

    [Fact]
    public void A_prefix_that_leaves_no_room_is_a_programming_error() =>
        Assert.Throws<ArgumentException>(() => SecureChatTexts.Split(new string('p', 188), "x", "\n", 190));
}
