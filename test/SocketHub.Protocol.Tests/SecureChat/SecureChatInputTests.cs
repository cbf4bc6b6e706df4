using SocketHub.Protocol.Chat;
using SocketHub.Protocol.SecureChat;
using Xunit;

namespace SocketHub.Protocol.Tests.SecureChat;

public sealed class SecureChatInputTests
{
    [Theory]
    [InlineData("hello everyone")]
    [InlineData("  spaced  ")]
    [InlineData("disconnect now")]
    [InlineData("whoelse")]
    public void A_plain_line_is_said_to_the_room_as_typed(string line)
    {
        var command = SecureChatInput.Parse(line);

        Assert.Equal(ChatCommandKind.Broadcast, command.Kind);
        Assert.Equal(line, command.Text);
        Assert.Null(command.Error);
    }

    [Fact]
    public void Disconnect_leaves() => Assert.Equal(ChatCommandKind.Logout, SecureChatInput.Parse("disconnect").Kind);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void A_blank_line_is_nothing(string line) => Assert.Equal(ChatCommandKind.Empty, SecureChatInput.Parse(line).Kind);

    [Fact]
    public void Slash_commands_are_the_rooms_commands()
    {
        Assert.Equal(ChatCommandKind.WhoElse, SecureChatInput.Parse("/whoelse").Kind);
        var message = SecureChatInput.Parse("/message bob hi there");
        Assert.Equal((ChatCommandKind.Message, "bob", "hi there"), (message.Kind, message.User, message.Text));
        Assert.Equal(ChatCommandKind.Logout, SecureChatInput.Parse("/logout").Kind);
        Assert.Equal(ChatCommandKind.Help, SecureChatInput.Parse("/help").Kind);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/ ")]
    [InlineData("/dance")]
    [InlineData("/login bob pw")]
    [InlineData("/p2p 5000")]
    public void An_unknown_slash_command_is_invalid(string line) => Assert.Equal(ChatCommandKind.Invalid, SecureChatInput.Parse(line).Kind);

    [Fact]
    public void A_slash_command_with_wrong_arguments_has_its_usage() =>
        Assert.Equal("Error. Usage: message <user> <text>", SecureChatInput.Parse("/message bob").Error);

    [Fact]
    public void Help_lists_the_commands_with_their_slash()
    {
        Assert.Equal("Type a line to say it to everyone; disconnect to leave.", SecureChatInput.Help[0]);
        Assert.Equal("Commands:", SecureChatInput.Help[1]);
        Assert.All(SecureChatInput.Help.Skip(2), line => Assert.StartsWith("/", line, StringComparison.Ordinal));
        Assert.Contains(SecureChatInput.Help, line => line.StartsWith("/whoelse ", StringComparison.Ordinal));
    }
}
