using SocketHub.Protocol.Chat;
using Xunit;

namespace SocketHub.Protocol.Tests.Chat;

public sealed class ChatJsonClientTests
{
    [Theory]
    [InlineData("message bob hello  there ", "message", "{\"command\":\"message\",\"data\":[\"bob\",\"hello  there \"]}\n")]
    [InlineData("broadcast é \"quoted\"", "broadcast", "{\"command\":\"broadcast\",\"data\":[\"é \\\"quoted\\\"\"]}\n")]
    [InlineData("private jane psst", "private", "{\"command\":\"private\",\"data\":[\"jane\",\"psst\"]}\n")]
    [InlineData("whoelse", "whoelse", "{\"command\":\"whoelse\",\"data\":[]}\n")]
    [InlineData("whoelsesince 60", "whoelsesince", "{\"command\":\"whoelsesince\",\"data\":[\"60\"]}\n")]
    [InlineData("startprivate  bob", "startprivate", "{\"command\":\"startprivate\",\"data\":[\"bob\"]}\n")]
    [InlineData("message bob", "message", "{\"command\":\"message\",\"data\":[\"bob\"]}\n")]
    [InlineData("shout loud", "shout", "{\"command\":\"shout\",\"data\":[\"loud\"]}\n")]
    public void Turns_a_typed_line_into_the_same_request(string line, string command, string json)
    {
        Assert.Equal((command, json), ChatJsonClient.FromTextLine(line));
    }

    [Fact]
    public void An_empty_line_is_no_request()
    {
        Assert.Null(ChatJsonClient.FromTextLine("   "));
    }

    [Fact]
    public void The_server_reads_back_what_the_client_writes()
    {
        var command = ChatJsonRequest.Parse(ChatJsonClient.Request("login", "alice", "p \"w\" d"));

        Assert.NotNull(command);
        Assert.Equal((ChatCommandKind.Login, "alice", "p \"w\" d", (string?)null), (command.Kind, command.User, command.Text, command.Error));
    }

    public static TheoryData<ChatOutput> Outputs => new()
    {
        ChatReply.Ok("message"),
        ChatReply.Fail("block", "Error. Invalid user"),
        ChatReply.Fail(null, "Malformed request"),
        ChatReply.List("whoelse", ["bob", "carol"]),
        ChatReply.Ok("startprivate", "Start private messaging with jane") with { Address = "127.0.0.1", Port = 6000 },
        ChatEvent.Direct("bob", "hi é"),
        ChatEvent.Broadcast("bob", "all"),
        ChatEvent.Private("bob", "psst"),
        ChatEvent.PrivateStarted("bob"),
        ChatEvent.PrivateStopped("bob"),
        ChatEvent.LoggedIn("bob"),
        ChatEvent.LoggedOut("bob"),
        ChatEvent.Server("SERVER: [ ALERT ] Server shutting down..."),
    };

    [Theory]
    [MemberData(nameof(Outputs))]
    public void Reads_back_every_reply_and_event_the_server_formats(ChatOutput output)
    {
        var line = ChatJsonFormat.Format(output).TrimEnd('\n');

        Assert.True(ChatJsonClient.TryParse(line, out var back));
        Assert.Equal(ChatJsonFormat.Format(output), ChatJsonFormat.Format(back));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"status\":\"success\"}")]
    [InlineData("{\"status\":\"weird\",\"data\":{\"message\":\"x\"}}")]
    [InlineData("{\"status\":\"success\",\"data\":{\"message\":5}}")]
    public void Refuses_what_the_server_never_sends(string line)
    {
        Assert.False(ChatJsonClient.TryParse(line, out _));
    }

    [Theory]
    [InlineData("HELLO alice", true, "alice")]
    [InlineData("HELLO bad name", false, "")]
    [InlineData("hello alice", false, "")]
    [InlineData("HELLO ", false, "")]
    public void Reads_the_peer_greeting(string line, bool ok, string user)
    {
        Assert.Equal((ok, user), (ChatPeerProtocol.TryParseHello(line, out var name), name));
    }

    [Fact]
    public void Writes_peer_lines()
    {
        Assert.Equal("HELLO alice\n", ChatPeerProtocol.Hello("alice"));
        Assert.Equal("two lines\n", ChatPeerProtocol.Message("two\nlines"));
        Assert.Equal("bob (private, direct): hi", ChatPeerProtocol.Received("bob", "hi"));
    }
}
