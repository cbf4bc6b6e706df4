using SocketHub.Protocol.Chat;
using Xunit;

namespace SocketHub.Protocol.Tests.Chat;

public sealed class ChatJsonClientTests
{
    [Theory]
    [InlineData("message bob hello  there ", "message", """{"command": "message", "data": ["bob", "hello", "", "there", ""]}""")]
    [InlineData("broadcast é \"quoted\"", "broadcast", """{"command": "broadcast", "data": ["\u00e9", "\"quoted\""]}""")]
    [InlineData("whoelse", "whoelse", """{"command": "whoelse", "data": []}""")]
    [InlineData("whoelsesince 60", "whoelsesince", """{"command": "whoelsesince", "data": ["60"]}""")]
    [InlineData("startprivate  bob", "startprivate", """{"command": "startprivate", "data": ["", "bob"]}""")]
    [InlineData("shout loud", "shout", """{"command": "shout", "data": ["loud"]}""")]
    public void Turns_a_typed_line_into_the_original_clients_request(string line, string command, string json)
    {
        // The original: data = input().split(" "); json.dumps({"command": data[0], "data": data[1:]}).
        Assert.Equal((command, json), ChatJsonClient.FromTextLine(line) is var (c, _, j) ? (c, j) : default);
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

    [Fact]
    public void Reads_replies_and_events_the_server_formats()
    {
        Assert.True(ChatJsonClient.TryParse(ChatJsonFormat.Format(ChatWelcome.For("jane", [ChatEvent.Direct("bob", "hi")])), out var welcome));
        Assert.Equal((true, true, "Logged in as jane"), (welcome.IsReply, welcome.Success, welcome.Message));
        Assert.Equal([" <Message from bob> hi"], welcome.UnreadMessages);

        var started = new ChatJsonReply
        {
            Status = "success", Command = "startPrivate", Message = "Ready", Target = "kim", TargetAddress = ("10.0.0.2", 5000),
        };
        Assert.True(ChatJsonClient.TryParse(ChatJsonFormat.Format(started), out var reply));
        Assert.Equal(("startPrivate", "kim", ("10.0.0.2", 5000)), (reply.Command, reply.Target, reply.TargetAddress!.Value));

        Assert.True(ChatJsonClient.TryParse(ChatJsonFormat.Format(new ChatJsonReply { Status = "logout", Message = "", EmptyData = true }), out var logout));
        Assert.Equal(("logout", true), (logout.Status, logout.IsReply));

        Assert.True(ChatJsonClient.TryParse(ChatJsonFormat.Format(ChatEvent.Direct("bob", "hé")), out var message));
        Assert.Equal((false, "bob: hé"), (message.IsReply, ChatJsonClient.Describe(message)));
        Assert.True(ChatJsonClient.TryParse(ChatJsonFormat.Format(ChatEvent.Broadcast("bob", "all")), out var broadcast));
        Assert.Equal("bob (broadcast): all", ChatJsonClient.Describe(broadcast));
        Assert.True(ChatJsonClient.TryParse(ChatJsonFormat.Format(ChatEvent.LoggedIn("bob")), out var presence));
        Assert.Equal(("login", "bob is online!"), (presence.Presence, ChatJsonClient.Describe(presence)));
        Assert.True(ChatJsonClient.TryParse(ChatJsonFormat.Format(ChatEvent.Private("bob", "psst")), out var relayed));
        Assert.Equal("bob (private): psst", ChatJsonClient.Describe(relayed));
        Assert.True(ChatJsonClient.TryParse(ChatJsonFormat.Format(ChatEvent.Server(ChatTexts.ShuttingDown)), out var server));
        Assert.Equal(ChatTexts.ShuttingDown, ChatJsonClient.Describe(server));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"status\": \"success\"}")]
    [InlineData("{\"status\": 5, \"data\": {}}")]
    public void Refuses_what_the_server_never_sends(string line)
    {
        Assert.False(ChatJsonClient.TryParse(line, out _));
    }

    [Fact]
    public void Writes_and_reads_the_original_clients_peer_objects()
    {
        Assert.Equal("""{"command": "SYN", "data": {"sender": "alice"}}""", ChatPeerProtocol.Syn("alice"));
        Assert.Equal(["""{"command": "private", "data": {"sender": "alice", "message": "two\nlines"}}"""], ChatPeerProtocol.Message("alice", "two\nlines"));
        Assert.Equal(["""{"command": "private", "data": {"sender": "alice", "message": "Private chat is being closed."}}"""], ChatPeerProtocol.Closing("alice"));
        Assert.True(ChatPeerProtocol.TryParse("""{"command": "private", "data": {"sender": "bob", "message": "hi"}}""", out var command, out var sender, out var text));
        Assert.Equal(("private", "bob", "hi"), (command, sender, text));
        Assert.True(ChatPeerProtocol.TryParse(ChatPeerProtocol.Syn("bob"), out command, out sender, out _));
        Assert.Equal(("SYN", "bob"), (command, sender));
        Assert.False(ChatPeerProtocol.TryParse("""{"command": "SYN", "data": {"sender": "bad name"}}""", out _, out _, out _));
        Assert.False(ChatPeerProtocol.TryParse("HELLO alice", out _, out _, out _));
        Assert.Equal("bob (private, direct): hi", ChatPeerProtocol.Received("bob", "hi"));
    }

    [Fact]
    public void A_long_private_text_is_cut_into_objects_of_one_read_each()
    {
        var text = string.Concat(Enumerable.Repeat("😀 é ", 200));
        var objects = ChatPeerProtocol.Message("alice", text);

        Assert.True(objects.Count > 1);
        Assert.All(objects, o => Assert.True(o.Length <= 1024, $"{o.Length} bytes"));
        var back = objects.Select(o => ChatPeerProtocol.TryParse(o, out _, out _, out var piece) ? piece : "?");
        Assert.Equal(text, string.Concat(back));
    }
}
