using SocketHub.Protocol.Chat;
using Xunit;

namespace SocketHub.Protocol.Tests.Chat;

public sealed class ChatCommandTests
{
    [Theory]
    [InlineData("message bob hello there", ChatCommandKind.Message, "bob", "hello there")]
    [InlineData("message bob   spaced  out ", ChatCommandKind.Message, "bob", "spaced  out ")]
    [InlineData("  message bob hi", ChatCommandKind.Message, "bob", "hi")]
    [InlineData("broadcast  hello all", ChatCommandKind.Broadcast, "", "hello all")]
    [InlineData("private bob psst", ChatCommandKind.Private, "bob", "psst")]
    [InlineData("block bob", ChatCommandKind.Block, "bob", "")]
    [InlineData("unblock bob ", ChatCommandKind.Unblock, "bob", "")]
    [InlineData("startprivate bob", ChatCommandKind.StartPrivate, "bob", "")]
    [InlineData("stopprivate bob", ChatCommandKind.StopPrivate, "bob", "")]
    [InlineData("whoelse", ChatCommandKind.WhoElse, "", "")]
    [InlineData("help", ChatCommandKind.Help, "", "")]
    [InlineData("logout", ChatCommandKind.Logout, "", "")]
    [InlineData("disconnect", ChatCommandKind.Logout, "", "")]
    public void Parses_each_command_of_the_text_dialect(string line, ChatCommandKind kind, string user, string text)
    {
        var command = ChatCommand.ParseLine(line);
        Assert.Equal(kind, command.Kind);
        Assert.Null(command.Error);
        Assert.Equal(user, command.User);
        Assert.Equal(text, command.Text);
    }

    [Theory]
    [InlineData("whoelsesince 0", 0L)]
    [InlineData("whoelsesince 300", 300L)]
    [InlineData("whoelsesince 99999999999999999999", long.MaxValue)]
    public void Whoelsesince_takes_decimal_seconds(string line, long seconds)
    {
        var command = ChatCommand.ParseLine(line);
        Assert.Null(command.Error);
        Assert.Equal(seconds, command.Seconds);
    }

    [Theory]
    [InlineData("message", "Error. Usage: message <user> <text>")]
    [InlineData("message bob", "Error. Usage: message <user> <text>")]
    [InlineData("message bob   ", "Error. Usage: message <user> <text>")]
    [InlineData("broadcast", "Error. Usage: broadcast <text>")]
    [InlineData("broadcast    ", "Error. Usage: broadcast <text>")]
    [InlineData("block", "Error. Usage: block <user>")]
    [InlineData("block bob carol", "Error. Usage: block <user>")]
    [InlineData("whoelsesince", "Error. Usage: whoelsesince <seconds>")]
    [InlineData("whoelsesince ten", "Error. Usage: whoelsesince <seconds>")]
    [InlineData("whoelsesince -1", "Error. Usage: whoelsesince <seconds>")]
    [InlineData("whoelsesince 1.5", "Error. Usage: whoelsesince <seconds>")]
    [InlineData("whoelsesince ٣", "Error. Usage: whoelsesince <seconds>")]
    [InlineData("whoelse me", "Error. Usage: whoelse")]
    [InlineData("logout now", "Error. Usage: logout")]
    [InlineData("private bob", "Error. Usage: private <user> <text>")]
    public void Bad_arguments_get_the_usage(string line, string error)
    {
        Assert.Equal(error, ChatCommand.ParseLine(line).Error);
    }

    [Theory]
    [InlineData("Message bob hi")]
    [InlineData("WHOELSE")]
    [InlineData("hello")]
    [InlineData("login alice pw")]
    [InlineData("p2p 5000")]
    [InlineData("\tmessage bob hi")]
    public void Other_first_words_are_invalid(string line)
    {
        Assert.Equal(ChatCommandKind.Invalid, ChatCommand.ParseLine(line).Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_lines_are_empty(string line)
    {
        Assert.Equal(ChatCommandKind.Empty, ChatCommand.ParseLine(line).Kind);
    }

    [Fact]
    public void Words_of_the_json_dialect_map_to_the_same_commands()
    {
        Assert.Equal(ChatCommand.ParseLine("message bob hello there"), ChatCommand.FromWords("message", ["bob", "hello there"]));
        Assert.Equal(ChatCommand.ParseLine("message bob hello there"), ChatCommand.FromWords("message", ["bob", "hello", "there"]));
        Assert.Equal(ChatCommand.ParseLine("whoelsesince 5"), ChatCommand.FromWords("whoelsesince", ["5"]));
        Assert.Equal(ChatCommand.ParseLine("block bob"), ChatCommand.FromWords("block", ["bob"]));
        Assert.Equal(ChatCommand.ParseLine("whoelse"), ChatCommand.FromWords("whoelse", []));
        Assert.Equal("Error. Usage: block <user>", ChatCommand.FromWords("block", []).Error);
        Assert.Equal("Error. Usage: message <user> <text>", ChatCommand.FromWords("message", ["bob"]).Error);
        Assert.Equal(ChatCommandKind.Invalid, ChatCommand.FromWords("Message", ["bob", "x"]).Kind);
    }

    [Fact]
    public void Login_and_p2p_belong_to_the_json_dialect()
    {
        var login = ChatCommand.FromWords("login", ["alice", "pass word"]);
        Assert.Equal((ChatCommandKind.Login, "alice", "pass word", (string?)null), (login.Kind, login.User, login.Text, login.Error));
        Assert.Equal("Error. Usage: login <user> <password>", ChatCommand.FromWords("login", ["alice"]).Error);
        Assert.Equal(5000, ChatCommand.FromWords("p2p", ["5000"]).Port);
        Assert.Equal("Error. Usage: p2p <port>", ChatCommand.FromWords("p2p", ["0"]).Error);
        Assert.Equal("Error. Usage: p2p <port>", ChatCommand.FromWords("p2p", ["65536"]).Error);
        Assert.Equal("Error. Usage: p2p <port>", ChatCommand.FromWords("p2p", ["x"]).Error);
    }
}
