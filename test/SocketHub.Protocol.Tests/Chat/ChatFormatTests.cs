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
    public void Text_dialect_shows_control_characters_in_a_users_text_as_escapes_on_one_line()
    {
        // A line break (a JSON client can send one) would start a line of the user's making,
        // "SERVER: ..." included; ESC and OSC 52 would drive the terminal (and write its clipboard).
        Assert.Equal(
            "mallory: hi\\nSERVER: [ ALERT ] Server shutting down...\n",
            ChatTextFormat.Format(ChatEvent.Direct("mallory", "hi\nSERVER: [ ALERT ] Server shutting down...")));
        Assert.Equal(
            "mallory (broadcast): \\x1b]52;c;aGk=\\x07 \\x1b[2J \\r\\x00\\x7f\\x9b end\n",
            ChatTextFormat.Format(ChatEvent.Broadcast("mallory", "\u001b]52;c;aGk=\u0007 \u001b[2J \r\0\u007f\u009b end")));
        Assert.Equal("mallory (private): a\tb \\ c\n", ChatTextFormat.Format(ChatEvent.Private("mallory", "a\tb \\ c")));
        Assert.Equal(
            ChatTexts.Welcome + "\nbob: \\x1b[31mred\n",
            ChatTextFormat.Format(ChatWelcome.For("alice", [ChatEvent.Direct("bob", "\u001b[31mred")])));
    }

    [Fact]
    public void Text_dialect_keeps_the_servers_own_line_breaks_and_escapes_the_rest()
    {
        Assert.Equal("alice\nbob\nEnd of list.\n", ChatTextFormat.Format(ChatReply.List("whoelse", ["alice", "bob"])));
        Assert.Equal(
            "Error. No private session with \\x1b[2J\n",
            ChatTextFormat.Format(ChatReply.Fail("stopprivate", "Error. No private session with \u001b[2J")));
    }

    [Fact]
    public void Visible_returns_text_without_control_characters_as_it_is()
    {
        const string text = "héllo 😀 \\x1b\ttab";
        Assert.Same(text, ChatTextFormat.Visible(text));
        Assert.Equal("a\nb\\r", ChatTextFormat.Visible("a\nb\r", keepLineBreaks: true));
        Assert.Equal("a\\nb\\r", ChatTextFormat.Visible("a\nb\r"));
    }

    [Fact]
    public void Text_dialect_writes_the_welcome_and_then_the_stored_messages()
    {
        Assert.Equal(
            ChatTexts.Welcome + "\nbob: hi\ncarol: there\n",
            ChatTextFormat.Format(ChatWelcome.For("alice", [ChatEvent.Direct("bob", "hi"), ChatEvent.Direct("carol", "there")])));
    }

    [Fact]
    public void Json_port_writes_the_originals_objects_as_json_dumps_did_with_a_line_end()
    {
        Assert.Equal(string.Empty, ChatJsonFormat.Format(ChatPrompt.Username));
        Assert.Equal(
            """{"status": "success", "data": {"command": "login", "message": "Logged in as alice", "unreadMessages": [" <Message from bob> h\u00e9"]}}""" + "\n",
            ChatJsonFormat.Format(ChatWelcome.For("alice", [ChatEvent.Direct("bob", "hé")])));
        Assert.Equal(
            """{"status": "unsuccessful", "data": {"message": "Malformed request"}}""" + "\n",
            ChatJsonFormat.Format(ChatReply.Fail(null, ChatTexts.MalformedRequest)));
        Assert.Equal(
            """{"status": "success", "data": {"command": "help", "message": "x"}}""" + "\n",
            ChatJsonFormat.Format(ChatReply.Ok("help", "x")));
        Assert.Equal(
            """{"status": "logout", "data": []}""" + "\n",
            ChatJsonFormat.Format(new ChatJsonReply { Status = "logout", Message = "Goodbye.", EmptyData = true }));
        Assert.Equal(
            """{"status": "success", "data": {"command": "startPrivate", "message": "Ready", "target": "bob", "targetAddress": ["10.0.0.2", 5000]}}""" + "\n",
            ChatJsonFormat.Format(new ChatJsonReply { Status = "success", Command = "startPrivate", Message = "Ready", Target = "bob", TargetAddress = ("10.0.0.2", 5000) }));
        Assert.Equal(
            """{"status": "message", "data": {"source": "alice", "message": "h\u00e9llo \"you\" <b> \ud83d\ude00"}}""" + "\n",
            ChatJsonFormat.Format(ChatEvent.Direct("alice", "héllo \"you\" <b> 😀")));
        Assert.Equal(
            """{"status": "broadcast", "data": {"status": "broadcast", "sender": "alice", "message": "hi"}}""" + "\n",
            ChatJsonFormat.Format(ChatEvent.Broadcast("alice", "hi")));
        Assert.Equal(
            """{"status": "broadcast", "data": {"status": "broadcast", "sender": "alice", "message": "alice has left the server.", "presence": "logout"}}""" + "\n",
            ChatJsonFormat.Format(ChatEvent.LoggedOut("alice")));
        Assert.Equal(
            """{"status": "serverMessage", "data": {"message": "SERVER: [ ALERT ] Server shutting down..."}}""" + "\n",
            ChatJsonFormat.Format(ChatEvent.Server(ChatTexts.ShuttingDown)));
        Assert.Equal(
            """{"status": "message", "data": {"source": "a", "message": "tab\there\u0001\u007f", "private": true}}""" + "\n",
            ChatJsonFormat.Format(ChatEvent.Private("a", "tab\there\u0001\u007f")));
    }

    [Fact]
    public void Json_port_cuts_what_would_not_fit_one_read_into_objects_that_do()
    {
        var users = Enumerable.Range(0, 200).Select(i => $"user{i:000}").ToList();
        var list = new ChatJsonReply
        {
            Status = "success", Command = "whoelse", Users = users,
            Message = ChatJsonTexts.ActiveHeader + string.Concat(users.Select(ChatJsonTexts.ListLine)) + ChatJsonTexts.ListRule,
        };
        var objects = ChatJsonFormat.Objects(list);
        Assert.True(objects.Count > 1);
        Assert.All(objects, o => Assert.True(o.Length <= ChatJsonFormat.MaxObjectBytes, $"{o.Length} bytes"));
        var parts = objects.Select(o => System.Text.Json.JsonDocument.Parse(o).RootElement.GetProperty("data")).ToList();
        Assert.Equal(list.Message, string.Concat(parts.Select(p => p.GetProperty("message").GetString())));
        Assert.Equal(users, parts.SelectMany(p => p.GetProperty("users").EnumerateArray().Select(u => u.GetString())));
        Assert.All(parts[..^1], p => Assert.True(p.GetProperty("more").GetBoolean()));
        Assert.False(parts[^1].TryGetProperty("more", out _));

        // Stored messages that do not fit the login reply follow it as message events.
        var stored = Enumerable.Range(0, 30).Select(i => ChatEvent.Direct("bob", $"message number {i} " + new string('x', 40))).ToList();
        var login = ChatJsonFormat.Objects(ChatWelcome.For("alice", stored));
        Assert.All(login, o => Assert.True(o.Length <= ChatJsonFormat.MaxObjectBytes));
        var first = System.Text.Json.JsonDocument.Parse(login[0]).RootElement.GetProperty("data");
        var inReply = first.GetProperty("unreadMessages").GetArrayLength();
        Assert.InRange(inReply, 1, 29);
        Assert.Equal(30 - inReply, login.Count - 1);
        Assert.Equal("message number 29 " + new string('x', 40), System.Text.Json.JsonDocument.Parse(login[^1]).RootElement.GetProperty("data").GetProperty("message").GetString());
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

    [Theory]
    [InlineData("message", new string[0], "Missing arguments for message.")]
    [InlineData("message", new[] { "bob" }, "Cannot send empty string")]
    [InlineData("broadcast", new string[0], "Missing arguments for broadcast.")]
    [InlineData("block", new[] { "" }, "Missing arguments for block.")]
    [InlineData("whoelsesince", new string[0], "Missing arguments for whoelsesince.")]
    [InlineData("whoelsesince", new[] { "1x" }, "Error. Usage: whoelsesince <seconds>")]
    [InlineData("login", new[] { "alice" }, "Missing arguments for login.")]
    public void Json_port_arguments_are_checked_as_the_original_did(string name, string[] words, string error)
    {
        Assert.Equal(error, ChatJsonRequest.FromWords(name, words).Error);
    }

    [Fact]
    public void Json_port_ignores_words_a_command_does_not_use_as_the_original_did()
    {
        Assert.Equal((ChatCommandKind.Block, "bob", (string?)null), ChatJsonRequest.FromWords("block", ["bob", "extra"]) is var c ? (c.Kind, c.User, c.Error) : default);
        Assert.Null(ChatJsonRequest.FromWords("whoelse", ["x"]).Error);
        Assert.Equal("a  b ", ChatJsonRequest.FromWords("broadcast", ["a", "", "b", ""]).Text);
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
