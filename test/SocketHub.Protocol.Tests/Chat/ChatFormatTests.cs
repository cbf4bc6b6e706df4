using SocketHub.Protocol.Chat;
using Xunit;

namespace SocketHub.Protocol.Tests.Chat;

public sealed class ChatFormatTests
{
    [Fact]
    public void Text_dialect_writes_sentences_as_lines_and_prompts_without_a_line_end()
    {
        Assert.Equal("Username: ", ChatTextFormat.Format(ChatPrompt.Username));
        Assert.Equal("Password: ", ChatTextFormat.Format(ChatPrompt.Password));
        Assert.Equal("bob is blocked\n", ChatTextFormat.Format(ChatReply.Ok("block", "bob is blocked")));
        Assert.Equal(string.Empty, ChatTextFormat.Format(ChatReply.Ok("message")));
        Assert.Equal("alice\nbob\nEnd of list.\n", ChatTextFormat.Format(ChatReply.List("whoelse", ["alice", "bob"])));
        Assert.Equal("End of list.\n", ChatTextFormat.Format(ChatReply.List("whoelse", [])));
        Assert.Equal("alice: héllo 😀\n", ChatTextFormat.Format(ChatEvent.Direct("alice", "héllo 😀")));
        Assert.Equal("alice (broadcast): hi\n", ChatTextFormat.Format(ChatEvent.Broadcast("alice", "hi")));
        Assert.Equal("alice (private): hi\n", ChatTextFormat.Format(ChatEvent.Private("alice", "hi")));
        Assert.Equal("alice started a private chat with you\n", ChatTextFormat.Format(ChatEvent.PrivateStarted("alice")));
        Assert.Equal("alice stopped the private chat\n", ChatTextFormat.Format(ChatEvent.PrivateStopped("alice")));
        Assert.Equal("alice logged in\n", ChatTextFormat.Format(ChatEvent.LoggedIn("alice")));
        Assert.Equal("alice logged out\n", ChatTextFormat.Format(ChatEvent.LoggedOut("alice")));
        Assert.Equal("SERVER: [ ALERT ] Server shutting down...\n", ChatTextFormat.Format(ChatEvent.Server(ChatTexts.ShuttingDown)));
    }

    [Fact]
    public void Json_dialect_writes_one_object_per_line()
    {
        Assert.Equal(string.Empty, ChatJsonFormat.Format(ChatPrompt.Username));
        Assert.Equal(
            """{"status":"success","command":"block","data":{"message":"bob is blocked"}}""" + "\n",
            ChatJsonFormat.Format(ChatReply.Ok("block", "bob is blocked")));
        Assert.Equal(
            """{"status":"error","data":{"message":"Malformed request"}}""" + "\n",
            ChatJsonFormat.Format(ChatReply.Fail(null, ChatTexts.MalformedRequest)));
        Assert.Equal(
            """{"status":"success","command":"whoelse","data":{"message":"alice\nEnd of list.","users":["alice"]}}""" + "\n",
            ChatJsonFormat.Format(ChatReply.List("whoelse", ["alice"])));
        Assert.Equal(
            """{"status":"success","command":"startprivate","data":{"message":"Start private messaging with bob","address":"10.0.0.2","port":5000}}""" + "\n",
            ChatJsonFormat.Format(ChatReply.Ok("startprivate", ChatTexts.StartPrivate("bob")) with { Address = "10.0.0.2", Port = 5000 }));
        Assert.Equal(
            """{"status":"message","data":{"sender":"alice","text":"héllo \"you\" <b>","message":"alice: héllo \"you\" <b>"}}""" + "\n",
            ChatJsonFormat.Format(ChatEvent.Direct("alice", "héllo \"you\" <b>")));
        Assert.Equal(
            """{"status":"presence","data":{"user":"alice","action":"logout","message":"alice logged out"}}""" + "\n",
            ChatJsonFormat.Format(ChatEvent.LoggedOut("alice")));
        Assert.Equal(
            """{"status":"server","data":{"message":"SERVER: [ ALERT ] Server shutting down..."}}""" + "\n",
            ChatJsonFormat.Format(ChatEvent.Server(ChatTexts.ShuttingDown)));
        Assert.Equal(
            """{"status":"message","data":{"sender":"a","text":"tab\there\u0001","message":"a: tab\there\u0001"}}""" + "\n",
            ChatJsonFormat.Format(ChatEvent.Direct("a", "tab\there\u0001")));
    }

    [Theory]
    [InlineData("""{"command": "message", "data": ["bob", "hello there"]}""", ChatCommandKind.Message, "bob", "hello there")]
    [InlineData("""{"data": ["bob"], "command": "block"}""", ChatCommandKind.Block, "bob", "")]
    [InlineData("""{"command": "whoelse"}""", ChatCommandKind.WhoElse, "", "")]
    [InlineData("""{"command": "whoelse", "data": null}""", ChatCommandKind.WhoElse, "", "")]
    [InlineData("""{"command": "login", "data": ["alice", "secret"], "extra": 1}""", ChatCommandKind.Login, "alice", "secret")]
    [InlineData("""{"command": "dance"}""", ChatCommandKind.Invalid, "", "")]
    public void Json_requests_are_read(string line, ChatCommandKind kind, string user, string text)
    {
        var command = ChatJsonRequest.Parse(line);
        Assert.NotNull(command);
        Assert.Equal((kind, user, text), (command.Kind, command.User, command.Text));
    }

    [Fact]
    public void Json_numbers_in_data_are_words()
    {
        Assert.Equal(5000, ChatJsonRequest.Parse("""{"command":"p2p","data":[5000]}""")!.Port);
        Assert.Equal(30, ChatJsonRequest.Parse("""{"command":"whoelsesince","data":[30]}""")!.Seconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("{}")]
    [InlineData("""{"command": null}""")]
    [InlineData("""{"command": ["message"]}""")]
    [InlineData("""{"command": "message", "data": "bob hi"}""")]
    [InlineData("""{"command": "message", "data": [true]}""")]
    [InlineData("""{"command": "message", "data": [["bob"]]}""")]
    [InlineData("""{"command": "whoelse"} {"command": "whoelse"}""")]
    [InlineData("""{"command": "whoelse",}""")]
    [InlineData("""{"command": "\ud800"}""")]
    [InlineData("""{"command": "broadcast", "data": ["x\udc00y"]}""")]
    [InlineData("""{"command": "message", "data": ["bob", "\udc00\ud800"]}""")]
    [InlineData("""{"command": "login", "data": ["alice", "\ud83d"]}""")]
    public void Anything_else_is_malformed(string line)
    {
        Assert.Null(ChatJsonRequest.Parse(line));
    }
}
