using System.Text.Json;
using SocketHub.Server.Tests.Infrastructure;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

/// <summary>The JSON dialect: same room, same sentences, one object per line.</summary>
public sealed class ChatJsonTests : IAsyncLifetime
{
    private const string Malformed = """{"status":"error","data":{"message":"Malformed request"}}""";

    private TestServer _server = null!;

    public async ValueTask InitializeAsync() =>
        _server = await TestServer.StartAsync(ChatTestSettings.With("Chat:LinesPerSecond=1000", "Chat:LineBurst=1000"));

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Every_reply_carries_the_text_dialect_sentence()
    {
        await using var zed = await TextChatUser.LoginAsync(_server, "zed");
        await using var tom = await TextChatUser.LoginAsync(_server, "tom");
        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        await zed.ExpectAsync("tom logged in", "jane logged in");
        await tom.ExpectAsync("jane logged in");

        // They block each other, so one's broadcast does not land in the other's answers.
        await tom.RoundTripAsync("block jane", "jane is blocked");
        await jane.SendAsync("block", "tom");
        Assert.Equal("tom is blocked", (await jane.ReadJsonAsync()).GetProperty("data").GetProperty("message").GetString());

        string[] commands =
        [
            "block zed", "block zed", "unblock zed", "unblock zed", "block nobody", "block", "unblock nobody",
            "message nobody hi", "message zed hi there", "message", "broadcast hello", "broadcast",
            "startprivate nobody", "startprivate zed", "private zed psst", "stopprivate zed", "stopprivate zed",
            "private zed x", "whoelsesince 1x", "whoelse extra", "help", "bogus", "Message zed hi",
        ];

        foreach (var command in commands)
        {
            // The text dialect's answer: the lines before the answer to a marker command.
            await tom.SendAsync(command);
            await tom.SendAsync("unblock tom");
            var lines = new List<string>();
            string line;
            while ((line = await tom.ReadLineAsync()) != "Error. Cannot unblock self")
            {
                lines.Add(line);
            }

            var words = command.Split(' ');
            await jane.SendAsync(words[0], words[1..]);
            var reply = await jane.ReadJsonAsync();
            Assert.Equal(words[0], reply.GetProperty("command").GetString());
            Assert.Equal(string.Join('\n', lines), reply.GetProperty("data").GetProperty("message").GetString());
            Assert.Equal(lines.Count == 0 || !lines[0].StartsWith("Error.", StringComparison.Ordinal) ? "success" : "error", reply.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Whoelse_and_whoelsesince_carry_the_users()
    {
        await using var tom = await TextChatUser.LoginAsync(_server, "tom");
        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        await jane.SendAsync("whoelse");
        Assert.Equal("""{"status":"success","command":"whoelse","data":{"message":"tom\nEnd of list.","users":["tom"]}}""", await jane.ReadLineAsync());
        await jane.SendAsync("whoelsesince", "60");
        Assert.Equal("""{"status":"success","command":"whoelsesince","data":{"message":"tom\nEnd of list.","users":["tom"]}}""", await jane.ReadLineAsync());
    }

    [Fact]
    public async Task A_text_user_and_a_json_user_talk()
    {
        await using var tom = await TextChatUser.LoginAsync(_server, "tom");
        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        await tom.ExpectAsync("jane logged in");

        await tom.SendAsync("message jane hi jane");
        Assert.Equal("""{"status":"message","data":{"sender":"tom","text":"hi jane","message":"tom: hi jane"}}""", await jane.ReadLineAsync());

        await jane.SendAsync("message", "tom", "hello", "tom");
        Assert.Equal("""{"status":"success","command":"message","data":{"message":""}}""", await jane.ReadLineAsync());
        await tom.ExpectAsync("jane: hello tom");

        await tom.SendAsync("broadcast all of you");
        Assert.Equal("""{"status":"broadcast","data":{"sender":"tom","text":"all of you","message":"tom (broadcast): all of you"}}""", await jane.ReadLineAsync());

        await tom.RoundTripAsync("startprivate jane", "Start private messaging with jane");
        Assert.Equal("""{"status":"private","data":{"sender":"tom","action":"start","message":"tom started a private chat with you"}}""", await jane.ReadLineAsync());
        await tom.SendAsync("private jane secret <stuff> & \"quotes\"");
        Assert.Equal("""{"status":"private","data":{"sender":"tom","text":"secret <stuff> & \"quotes\"","message":"tom (private): secret <stuff> & \"quotes\""}}""", await jane.ReadLineAsync());
        await jane.SendAsync("private", "tom", "back");
        Assert.Equal("""{"status":"success","command":"private","data":{"message":""}}""", await jane.ReadLineAsync());
        await tom.ExpectAsync("jane (private): back");
        await tom.RoundTripAsync("stopprivate jane", "Private messaging with jane stopped");
        Assert.Equal("""{"status":"private","data":{"sender":"tom","action":"stop","message":"tom stopped the private chat"}}""", await jane.ReadLineAsync());

        await using (var kim = await TextChatUser.LoginAsync(_server, "kim"))
        {
            Assert.Equal("""{"status":"presence","data":{"user":"kim","action":"login","message":"kim logged in"}}""", await jane.ReadLineAsync());
            await tom.ExpectAsync("kim logged in");
        }

        Assert.Equal("""{"status":"presence","data":{"user":"kim","action":"logout","message":"kim logged out"}}""", await jane.ReadLineAsync());

        await jane.SendAsync("logout");
        Assert.Equal("""{"status":"success","command":"logout","data":{"message":"Goodbye."}}""" + "\n", await jane.Client.ReadToEndAsync());
        await tom.ExpectAsync("kim logged out", "jane logged out");
    }

    [Fact]
    public async Task P2p_port_is_disclosed_to_a_startprivate_unless_the_peer_blocks_the_asker()
    {
        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        await using var kim = await JsonChatUser.LoginAsync(_server, "kim");
        Assert.Equal("kim logged in", (await jane.ReadJsonAsync()).GetProperty("data").GetProperty("message").GetString());

        await jane.SendRawAsync("""{"command": "p2p", "data": [5000]}""");
        Assert.Equal("""{"status":"success","command":"p2p","data":{"message":"P2P port 5000 recorded"}}""", await jane.ReadLineAsync());
        await jane.SendAsync("p2p", "70000");
        Assert.Equal("""{"status":"error","command":"p2p","data":{"message":"Error. Usage: p2p <port>"}}""", await jane.ReadLineAsync());

        await kim.SendAsync("startprivate", "jane");
        Assert.Equal(
            """{"status":"success","command":"startprivate","data":{"message":"Start private messaging with jane","address":"127.0.0.1","port":5000}}""",
            await kim.ReadLineAsync());
        Assert.Equal("kim started a private chat with you", (await jane.ReadJsonAsync()).GetProperty("data").GetProperty("message").GetString());

        // kim has no p2p port: jane's startprivate carries no address.
        await jane.SendAsync("startprivate", "kim");
        Assert.Equal("""{"status":"success","command":"startprivate","data":{"message":"Start private messaging with kim"}}""", await jane.ReadLineAsync());
        await kim.ReadJsonAsync();

        await jane.SendAsync("block", "kim");
        Assert.Equal("""{"status":"success","command":"block","data":{"message":"kim is blocked"}}""", await jane.ReadLineAsync());
        await kim.SendAsync("startprivate", "jane");
        Assert.Equal("""{"status":"error","command":"startprivate","data":{"message":"Error. Private messaging to jane not enabled"}}""", await kim.ReadLineAsync());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("\"login\"")]
    [InlineData("{}")]
    [InlineData("{\"command\": 5}")]
    [InlineData("{\"command\": \"message\", \"data\": \"bob hi\"}")]
    [InlineData("{\"command\": \"message\", \"data\": [{\"a\": 1}]}")]
    [InlineData("{\"command\": \"whoelse\"")]
    public async Task Malformed_requests_get_an_error_and_the_connection_stays(string line)
    {
        await using var client = await JsonChatUser.ConnectAsync(_server);
        var before = new JsonChatUser(client, "jane");
        await before.SendRawAsync(line);
        Assert.Equal(Malformed, await client.ReadLineAsync());

        await before.SendAsync("login", "jane", "secret");
        Assert.Equal("success", (await before.ReadJsonAsync()).GetProperty("status").GetString());
        await before.SendRawAsync(line);
        Assert.Equal(Malformed, await client.ReadLineAsync());
        await before.SendAsync("whoelse");
        Assert.Equal("""{"status":"success","command":"whoelse","data":{"message":"End of list.","users":[]}}""", await client.ReadLineAsync());
    }

    [Fact]
    public async Task Login_comes_first_and_wrong_passwords_keep_the_connection()
    {
        await JsonChatUser.RegisterAsync(_server, "jane", "right");
        await using var client = await JsonChatUser.ConnectAsync(_server);
        var user = new JsonChatUser(client, "jane");

        await user.SendAsync("whoelse");
        Assert.Equal("""{"status":"error","command":"whoelse","data":{"message":"Error. Please log in first"}}""", await client.ReadLineAsync());
        await user.SendAsync("dance");
        Assert.Equal("""{"status":"error","command":"dance","data":{"message":"Error. Invalid command"}}""", await client.ReadLineAsync());
        await user.SendAsync("login", "jane");
        Assert.Equal("""{"status":"error","command":"login","data":{"message":"Error. Usage: login <user> <password>"}}""", await client.ReadLineAsync());
        await user.SendAsync("login", "bad name", "x");
        Assert.Equal("""{"status":"error","command":"login","data":{"message":"Invalid username. Use 1-32 letters, digits, _ . -"}}""", await client.ReadLineAsync());
        await user.SendAsync("login", "jane", "wrong");
        Assert.Equal("""{"status":"error","command":"login","data":{"message":"Invalid Password. Please try again"}}""", await client.ReadLineAsync());
        await user.SendAsync("login", "jane", "right");
        Assert.Equal("""{"status":"success","command":"login","data":{"message":"Welcome to the greatest messaging application ever!"}}""", await client.ReadLineAsync());
        await user.SendAsync("login", "jane", "right");
        Assert.Equal("""{"status":"error","command":"login","data":{"message":"Error. Already logged in"}}""", await client.ReadLineAsync());
    }

    [Fact]
    public async Task Offline_messages_arrive_as_message_events_after_the_welcome()
    {
        await JsonChatUser.RegisterAsync(_server, "jane");
        await using (var tom = await TextChatUser.LoginAsync(_server, "tom"))
        {
            await tom.SendAsync("message jane while you were out");
            await tom.ExpectNothingElseAsync();
        }

        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        Assert.Equal("""{"status":"message","data":{"sender":"tom","text":"while you were out","message":"tom: while you were out"}}""", await jane.ReadLineAsync());
    }

    [Fact]
    public async Task Invalid_utf8_is_an_error_and_the_connection_stays()
    {
        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        await jane.Client.SendAsync([0xFF, 0xFE, (byte)'\n']);
        Assert.Equal("""{"status":"error","data":{"message":"Error. Text must be UTF-8"}}""", await jane.ReadLineAsync());
        await jane.SendAsync("whoelse");
        Assert.Equal("success", (await jane.ReadJsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_line_too_long_is_an_error_and_the_close()
    {
        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        await jane.Client.SendAsync(new string(' ', 1025));
        Assert.Equal("""{"status":"error","data":{"message":"Error. Line too long"}}""" + "\n", await jane.Client.ReadToEndAsync());
    }
}

/// <summary>The JSON dialect's idle logout: a server event, then the close.</summary>
public sealed class ChatJsonIdleTests
{
    [Fact]
    public async Task Idle_json_user_gets_a_server_event()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With("Chat:TimeoutSeconds=0.5"));
        await using var jane = await JsonChatUser.LoginAsync(server, "jane");
        Assert.Equal(
            """{"status":"server","data":{"message":"You have been logged out due to inactivity."}}""" + "\n",
            await jane.Client.ReadToEndAsync());
    }
}
