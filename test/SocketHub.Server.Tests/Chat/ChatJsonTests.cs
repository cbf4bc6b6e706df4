using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

/// <summary>
/// The JSON port speaks the COMP3331 messenger's protocol: every command end to end, byte for
/// byte as the original server wrote it (Python's <c>json.dumps</c>), plus SocketHub's line end.
/// </summary>
public sealed class ChatJsonTests : IAsyncLifetime
{
    private const string Malformed = """{"status": "unsuccessful", "data": {"message": "Malformed request"}}""";

    private TestServer _server = null!;

    public async ValueTask InitializeAsync() =>
        _server = await TestServer.StartAsync(ChatTestSettings.With("Chat:LinesPerSecond=1000", "Chat:LineBurst=1000", "Chat:BlockDurationSeconds=10"));

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static string Online(string user) =>
        $$$"""{"status": "broadcast", "data": {"status": "broadcast", "sender": "{{{user}}}", "message": "{{{user}}} is online!", "presence": "login"}}""";

    private static string Left(string user) =>
        $$$"""{"status": "broadcast", "data": {"status": "broadcast", "sender": "{{{user}}}", "message": "{{{user}}} has left the server.", "presence": "logout"}}""";

    private static string Reply(string status, string command, string message) =>
        $$$"""{"status": "{{{status}}}", "data": {"command": "{{{command}}}", "message": "{{{message}}}"}}""";

    [Fact]
    public async Task Login_wrong_then_right_and_the_others_hear_of_it()
    {
        await JsonChatUser.RegisterAsync(_server, "jane", "right");
        await using var kim = await JsonChatUser.LoginAsync(_server, "kim");
        await using var client = await JsonChatUser.ConnectAsync(_server);
        var jane = new JsonChatUser(client, "jane");

        await jane.SendAsync("login", "jane", "wrong");
        await jane.ExpectAsync("""{"status": "unsuccessful", "data": {"message": "Invalid credentials"}}""");
        await jane.SendAsync("login", "jane", "right");
        await jane.ExpectAsync(JsonChatUser.Welcome("jane"));
        await kim.ExpectAsync(Online("jane"));

        await jane.SendAsync("login", "jane", "right");
        await jane.ExpectAsync("""{"status": "unsuccessful", "data": {"command": "login", "message": "Error. Already logged in"}}""");
    }

    [Fact]
    public async Task Three_wrong_passwords_block_the_account_and_close()
    {
        await JsonChatUser.RegisterAsync(_server, "jane", "right");
        const string blocked = """{"status": "unsuccessful", "data": {"message": "You've been blocked, please try in 10(s)."}}""";
        await using (var client = await JsonChatUser.ConnectAsync(_server))
        {
            var jane = new JsonChatUser(client, "jane");
            await jane.SendAsync("login", "jane", "bad1");
            await jane.ExpectAsync("""{"status": "unsuccessful", "data": {"message": "Invalid credentials"}}""");
            await jane.SendAsync("login", "jane", "bad2");
            await jane.ExpectAsync("""{"status": "unsuccessful", "data": {"message": "Invalid credentials"}}""");
            await jane.SendAsync("login", "jane", "bad3");
            Assert.Equal(blocked + "\n", await client.ReadToEndAsync());
        }

        await using var again = await JsonChatUser.ConnectAsync(_server);
        await again.SendAsync(JsonChatUser.Request("login", "jane", "right"));
        Assert.Equal(blocked + "\n", await again.ReadToEndAsync());
    }

    [Fact]
    public async Task A_second_login_elsewhere_is_refused_and_may_try_another_name()
    {
        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        await using var client = await JsonChatUser.ConnectAsync(_server);
        var other = new JsonChatUser(client, "jane");
        await other.SendAsync("login", "jane", "secret");
        await other.ExpectAsync("""{"status": "unsuccessful", "data": {"message": "You're already logged in elsewhere."}}""");
        await other.SendAsync("login", "kim", "secret");
        await other.ExpectAsync(JsonChatUser.Welcome("kim"));
    }

    [Fact]
    public async Task Commands_before_login()
    {
        await using var client = await JsonChatUser.ConnectAsync(_server);
        var user = new JsonChatUser(client, "jane");
        await user.RoundTripAsync("whoelse", """{"status": "unsuccessful", "data": {"command": "whoelse", "message": "Error. Please log in first"}}""");
        await user.RoundTripAsync("dance now", """{"status": "unknown", "data": {"command": "dance", "message": "Command unknown: dance"}}""");
        await user.SendAsync("login", "jane");
        await user.ExpectAsync(Reply("unsuccessful", "login", "Missing arguments for login."));
        await user.SendAsync("login", "bad name", "x");
        await user.ExpectAsync("""{"status": "unsuccessful", "data": {"message": "Invalid username. Use 1-32 letters, digits, _ . -"}}""");
    }

    [Fact]
    public async Task Whoelse_and_whoelsesince()
    {
        await JsonChatUser.RegisterAsync(_server, "amy");
        await using var tom = await TextChatUser.LoginAsync(_server, "tom");
        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        await jane.RoundTripAsync("whoelse",
            """{"status": "success", "data": {"command": "whoelse", "message": "Users currently active:\n===========\n * tom\n===========", "users": ["tom"]}}""");
        await jane.RoundTripAsync("whoelsesince 60",
            """{"status": "success", "data": {"command": "whoelsesince", "message": "Users active since 60(s):\n===========\n * amy\n * tom\n===========\n", "users": ["amy", "tom"]}}""");
        await jane.RoundTripAsync("whoelsesince", Reply("unsuccessful", "whoelsesince", "Missing arguments for whoelsesince."));
        await jane.RoundTripAsync("whoelsesince ten", Reply("unsuccessful", "whoelsesince", "Error. Usage: whoelsesince <seconds>"));
    }

    [Fact]
    public async Task Broadcast_reaches_the_others_and_says_when_a_blocker_missed_it()
    {
        await using var tom = await TextChatUser.LoginAsync(_server, "tom");
        await using var kim = await JsonChatUser.LoginAsync(_server, "kim");
        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        await tom.ExpectAsync("kim logged in", "jane logged in");
        await kim.ExpectAsync(Online("jane"));

        await jane.RoundTripAsync("broadcast hello  all", Reply("success", "broadcast", "Your message has been broadcasted!"));
        await kim.ExpectAsync("""{"status": "broadcast", "data": {"status": "broadcast", "sender": "jane", "message": "hello  all"}}""");
        await tom.ExpectAsync("jane (broadcast): hello  all");

        await kim.RoundTripAsync("block jane", Reply("success", "block", "You have blocked jane"));
        await jane.RoundTripAsync("broadcast again",
            Reply("success", "broadcast", "Your message has been broadcasted! [Note that some recipients may not have received your broadcast]"));
        await tom.ExpectAsync("jane (broadcast): again");
        await jane.RoundTripAsync("broadcast", Reply("unsuccessful", "broadcast", "Missing arguments for broadcast."));
    }

    [Fact]
    public async Task Message_online_offline_and_its_refusals()
    {
        await JsonChatUser.RegisterAsync(_server, "amy");
        await using var kim = await JsonChatUser.LoginAsync(_server, "kim");
        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        await kim.ExpectAsync(Online("jane"));

        await jane.RoundTripAsync("message kim hi there", Reply("success", "message", "Your message to kim has been sent."));
        await kim.ExpectAsync("""{"status": "message", "data": {"source": "jane", "message": "hi there"}}""");
        await jane.RoundTripAsync("message amy see you", Reply("success", "message", "Your message will be sent when amy is online."));
        await jane.RoundTripAsync("message amy caf\u00e9 \"2\"", Reply("success", "message", "Your message will be sent when amy is online."));
        await jane.RoundTripAsync("message", Reply("unsuccessful", "message", "Missing arguments for message."));
        await jane.RoundTripAsync("message kim", Reply("unsuccessful", "message", "Cannot send empty string"));
        await jane.RoundTripAsync("message jane hi", Reply("unsuccessful", "message", "Cannot message yourself"));
        await jane.RoundTripAsync("message nobody hi", Reply("unsuccessful", "message", "User 'nobody' not found."));
        await kim.RoundTripAsync("block jane", Reply("success", "block", "You have blocked jane"));
        await jane.RoundTripAsync("message kim hello?", Reply("unsuccessful", "message", "Unable to reach kim"));

        // amy's next login carries what waited for her, in the original's words.
        await using var client = await JsonChatUser.ConnectAsync(_server);
        await client.SendAsync(JsonChatUser.Request("login", "amy", "secret"));
        Assert.Equal(JsonChatUser.Welcome("amy", " <Message from jane> see you", " <Message from jane> caf\u00e9 \"2\""), await client.ReadLineAsync());
        Assert.Contains("\\u00e9 \\\"2\\\"", JsonChatUser.Welcome("amy", "caf\u00e9 \"2\""), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Block_and_unblock()
    {
        await JsonChatUser.RegisterAsync(_server, "kim");
        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        await jane.RoundTripAsync("block kim", Reply("success", "block", "You have blocked kim"));
        await jane.RoundTripAsync("block kim", Reply("success", "block", "You have blocked kim"));
        await jane.RoundTripAsync("block jane", Reply("unsuccessful", "block", "You cannot block yourself"));
        await jane.RoundTripAsync("block nobody", Reply("unsuccessful", "block", "Error: nobody does not exist."));
        await jane.RoundTripAsync("block", Reply("unsuccessful", "block", "Missing arguments for block."));
        await jane.RoundTripAsync("unblock kim", Reply("success", "unblock", "You have unblocked kim"));
        await jane.RoundTripAsync("unblock kim", Reply("unsuccessful", "unblock", "kim was not blocked."));
        await jane.RoundTripAsync("unblock jane", Reply("unsuccessful", "unblock", "You cannot unblock yourself"));
        await jane.RoundTripAsync("unblock nobody", Reply("unsuccessful", "unblock", "Error: nobody does not exist."));
        await jane.RoundTripAsync("unblock", Reply("unsuccessful", "unblock", "Missing arguments for unblock."));
    }

    [Fact]
    public async Task Startprivate_discloses_where_the_peer_listens_unless_it_blocks_the_asker()
    {
        await JsonChatUser.RegisterAsync(_server, "amy");
        await using var tom = await TextChatUser.LoginAsync(_server, "tom");
        await using var kim = await JsonChatUser.LoginAsync(_server, "kim");
        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        await kim.ExpectAsync(Online("jane"));

        // The original client listens on the port of its server connection.
        await jane.RoundTripAsync("startprivate kim",
            $$$"""{"status": "success", "data": {"command": "startPrivate", "message": "Ready to start a private connection with kim", "target": "kim", "targetAddress": ["127.0.0.1", {{{kim.Client.LocalPort}}}]}}""");

        // A program may announce another port instead.
        await kim.RoundTripAsync("p2p 5000", Reply("success", "p2p", "P2P port 5000 recorded"));
        await jane.RoundTripAsync("startprivate kim",
            """{"status": "success", "data": {"command": "startPrivate", "message": "Ready to start a private connection with kim", "target": "kim", "targetAddress": ["127.0.0.1", 5000]}}""");

        await jane.RoundTripAsync("startprivate jane", Reply("unsuccessful", "startPrivate", "Cannot start private with yourself!"));
        await jane.RoundTripAsync("startprivate nobody", Reply("unsuccessful", "startPrivate", "Cannot start private with 'nobody' - User Unknown"));
        await jane.RoundTripAsync("startprivate amy", Reply("unsuccessful", "startPrivate", "Cannot start private with 'amy' - User offline"));
        await jane.RoundTripAsync("startprivate tom", Reply("unsuccessful", "startPrivate", "Cannot start private with 'tom' - User is on the text port, use message"));
        await jane.RoundTripAsync("startprivate", Reply("unsuccessful", "startprivate", "Missing arguments for startprivate."));
        await kim.RoundTripAsync("block jane", Reply("success", "block", "You have blocked jane"));
        await jane.RoundTripAsync("startprivate kim", Reply("unsuccessful", "startPrivate", "Cannot start private with 'kim' - User unavailable"));

        // Nothing of it reached kim or tom: the clients hold the private chat themselves.
        await tom.ExpectAsync("kim logged in", "jane logged in");
        await kim.RoundTripAsync("whoelse", """{"status": "success", "data": {"command": "whoelse", "message": "Users currently active:\n===========\n * jane\n * tom\n===========", "users": ["jane", "tom"]}}""");
        await tom.ExpectNothingElseAsync();
    }

    [Fact]
    public async Task Two_clients_chat_privately_peer_to_peer_through_the_disclosed_address()
    {
        // kim plays the original client: a listener on the port number of its server connection.
        var (kimSocket, listener) = await ConnectWithListenerAsync(_server.PortOf("chat-json"));
        using var listening = listener;
        await using var kimStream = new NetworkStream(kimSocket, ownsSocket: true);
        await kimStream.WriteAsync(Encoding.ASCII.GetBytes(JsonChatUser.Request("login", "kim", "secret")), TestContext.Current.CancellationToken);
        using var kimReader = new StreamReader(kimStream, Encoding.UTF8);
        Assert.Equal(JsonChatUser.Welcome("kim"), await kimReader.ReadLineAsync(TestContext.Current.CancellationToken));

        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        await jane.SendAsync("startprivate", "kim");
        var reply = await jane.ReadJsonAsync();
        Assert.Equal("startPrivate", reply.GetProperty("data").GetProperty("command").GetString());
        var address = reply.GetProperty("data").GetProperty("targetAddress");

        // jane connects where the server said, and speaks the original clients' peer protocol.
        using var janePeer = new TcpClient();
        await janePeer.ConnectAsync(address[0].GetString()!, address[1].GetInt32(), TestContext.Current.CancellationToken);
        var toKim = janePeer.GetStream();
        await toKim.WriteAsync("""{"command": "SYN", "data": {"sender": "jane"}}"""u8.ToArray(), TestContext.Current.CancellationToken);

        using var accepted = await listener.AcceptAsync(TestContext.Current.CancellationToken);
        var buffer = new byte[1024];
        var read = await accepted.ReceiveAsync(buffer, SocketFlags.None, TestContext.Current.CancellationToken);
        using (var syn = JsonDocument.Parse(buffer.AsMemory(0, read)))
        {
            Assert.Equal("SYN", syn.RootElement.GetProperty("command").GetString());
            Assert.Equal("jane", syn.RootElement.GetProperty("data").GetProperty("sender").GetString());
        }

        await toKim.WriteAsync("""{"command": "private", "data": {"sender": "jane", "message": "psst, kim"}}"""u8.ToArray(), TestContext.Current.CancellationToken);
        read = await accepted.ReceiveAsync(buffer, SocketFlags.None, TestContext.Current.CancellationToken);
        using (var message = JsonDocument.Parse(buffer.AsMemory(0, read)))
        {
            Assert.Equal("psst, kim", message.RootElement.GetProperty("data").GetProperty("message").GetString());
        }

        // And back the other way, on the same connection.
        await accepted.SendAsync("""{"command": "private", "data": {"sender": "kim", "message": "hi jane"}}"""u8.ToArray(), SocketFlags.None, TestContext.Current.CancellationToken);
        read = await toKim.ReadAsync(buffer, TestContext.Current.CancellationToken);
        Assert.Equal("""{"command": "private", "data": {"sender": "kim", "message": "hi jane"}}""", Encoding.UTF8.GetString(buffer, 0, read));
    }

    /// <summary>
    /// A connection to the server and a listener on the same port number, as the original client
    /// makes them. The kernel may have given that port to another process's connection too, which
    /// forbids the listener: then (as the original could not) try another connection.
    /// </summary>
    private static async Task<(Socket Connection, Socket Listener)> ConnectWithListenerAsync(int port)
    {
        for (var attempt = 1; ; attempt++)
        {
            var connection = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            connection.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            await connection.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), TestContext.Current.CancellationToken);
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            try
            {
                listener.Bind(new IPEndPoint(IPAddress.Any, ((IPEndPoint)connection.LocalEndPoint!).Port));
                listener.Listen(1);
                return (connection, listener);
            }
            catch (SocketException) when (attempt < 20)
            {
                listener.Dispose();
                connection.Dispose();
            }
        }
    }

    [Fact]
    public async Task Logout_is_answered_with_logout_and_the_others_hear_it()
    {
        await using var kim = await JsonChatUser.LoginAsync(_server, "kim");
        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        await kim.ExpectAsync(Online("jane"));
        await jane.LogoutAsync();
        await kim.ExpectAsync(Left("jane"));
    }

    [Fact]
    public async Task A_text_user_and_a_json_user_talk()
    {
        await using var tom = await TextChatUser.LoginAsync(_server, "tom");
        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        await tom.ExpectAsync("jane logged in");

        await tom.SendAsync("message jane hi <jane> & \"you\"");
        await jane.ExpectAsync("""{"status": "message", "data": {"source": "tom", "message": "hi <jane> & \"you\""}}""");
        await jane.RoundTripAsync("message tom hello tom", Reply("success", "message", "Your message to tom has been sent."));
        await tom.ExpectAsync("jane: hello tom");

        // A text user's private chat is relayed by the server: a notice, then messages marked private.
        await tom.RoundTripAsync("startprivate jane", "Start private messaging with jane");
        await jane.ExpectAsync("""{"status": "serverMessage", "data": {"message": "tom started a private chat with you", "sender": "tom", "private": "start"}}""");
        await tom.SendAsync("private jane secret");
        await jane.ExpectAsync("""{"status": "message", "data": {"source": "tom", "message": "secret", "private": true}}""");
        await jane.RoundTripAsync("private tom back", Reply("success", "private", string.Empty));
        await tom.ExpectAsync("jane (private): back");
        await tom.RoundTripAsync("stopprivate jane", "Private messaging with jane stopped");
        await jane.ExpectAsync("""{"status": "serverMessage", "data": {"message": "tom stopped the private chat", "sender": "tom", "private": "stop"}}""");

        await tom.SendAsync("logout");
        await jane.ExpectAsync(Left("tom"));
    }

    [Fact]
    public async Task Requests_need_no_line_end_and_may_come_together_or_in_pieces()
    {
        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        const string list = """{"status": "success", "data": {"command": "whoelse", "message": "Users currently active:\n===========\n===========", "users": []}}""";

        // Two objects in one packet: two replies, in order.
        await jane.SendRawAsync("""{"command": "whoelse", "data": []}{"command": "nope", "data": []}""");
        await jane.ExpectAsync(list, """{"status": "unknown", "data": {"command": "nope", "message": "Command unknown: nope"}}""");

        // One object cut anywhere, even inside a string with braces and an escaped quote.
        var request = """{"command": "broadcast", "data": ["a {\"b\"} ]"]}""";
        foreach (var cut in new[] { 1, 14, 30, request.Length - 1 })
        {
            await jane.SendRawAsync(request[..cut]);
            await Task.Yield();
            await jane.SendRawAsync(request[cut..] + "\r\n");
            await jane.ExpectAsync(Reply("success", "broadcast", "Your message has been broadcasted!"));
        }

        // Pretty-printed over several lines is still one object.
        await jane.SendRawAsync("{\n  \"command\": \"whoelse\",\n  \"data\": []\n}\n");
        await jane.ExpectAsync(list);
    }

    [Theory]
    [InlineData("not json\n")]
    [InlineData("not json")]
    [InlineData("[1, 2]\n")]
    [InlineData("\"login\"\n")]
    [InlineData("{}")]
    [InlineData("{\"command\": 5}")]
    [InlineData("{\"command\": \"message\", \"data\": \"bob hi\"}")]
    [InlineData("{\"command\": \"message\", \"data\": [{\"a\": 1}]}")]
    [InlineData("{\"command\": \"whoelse\", oops}")]
    [InlineData("{\"command\": \"who\nelse\"}")]
    [InlineData("{\"command\": \"\\ud800\"}")]
    public async Task Malformed_requests_get_an_error_and_the_connection_stays(string text)
    {
        await using var client = await JsonChatUser.ConnectAsync(_server);
        var jane = new JsonChatUser(client, "jane");
        await jane.SendRawAsync(text);
        Assert.Equal(Malformed, await client.ReadLineAsync());

        // A line end inside a string ends the broken request there; the rest of that line is
        // answered too, since it is no request either.
        if (text.Contains("who\nelse", StringComparison.Ordinal))
        {
            Assert.Equal(Malformed, await client.ReadLineAsync());
        }

        await jane.SendAsync("login", "jane", "secret");
        Assert.Equal(JsonChatUser.Welcome("jane"), await client.ReadLineAsync());
        await jane.SendRawAsync("not json\n");
        Assert.Equal(Malformed, await client.ReadLineAsync());
        await jane.RoundTripAsync("whoelse", """{"status": "success", "data": {"command": "whoelse", "message": "Users currently active:\n===========\n===========", "users": []}}""");
    }

    [Fact]
    public async Task Invalid_utf8_is_an_error_and_the_connection_stays()
    {
        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        await jane.Client.SendAsync([.. "{\"command\": \"broadcast\", \"data\": [\""u8, 0xFF, .. "\"]}"u8]);
        await jane.ExpectAsync("""{"status": "unsuccessful", "data": {"message": "Error. Text must be UTF-8"}}""");
        await jane.RoundTripAsync("whoelse", """{"status": "success", "data": {"command": "whoelse", "message": "Users currently active:\n===========\n===========", "users": []}}""");
    }

    [Fact]
    public async Task A_request_over_the_size_bound_is_an_error_and_the_close()
    {
        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        await jane.SendRawAsync("{\"command\": \"broadcast\", \"data\": [\"" + new string('x', 4096));
        Assert.Equal("""{"status": "unsuccessful", "data": {"message": "Request too long: at most 4096 bytes"}}""" + "\n", await jane.Client.ReadToEndAsync());
    }

    [Fact]
    public async Task A_long_text_arrives_in_parts_that_each_fit_one_read()
    {
        await using var tom = await TextChatUser.LoginAsync(_server, "tom");
        await using var jane = await JsonChatUser.LoginAsync(_server, "jane");
        await tom.ExpectAsync("jane logged in");

        // 880 bytes of text, 2,000 once escaped as the original escaped them (é 6 bytes, 😀 12).
        var text = string.Concat(Enumerable.Repeat("é😀 \"x\" ", 80));
        await tom.SendAsync("message jane " + text);
        var pieces = new List<string>();
        while (true)
        {
            var line = await jane.ReadLineAsync();
            Assert.True(Encoding.UTF8.GetByteCount(line) + 1 <= 1024, $"{line.Length + 1} bytes");
            var data = JsonDocument.Parse(line).RootElement.GetProperty("data");
            Assert.Equal("tom", data.GetProperty("source").GetString());
            pieces.Add(data.GetProperty("message").GetString()!);
            if (!data.TryGetProperty("more", out var more))
            {
                break;
            }

            Assert.True(more.GetBoolean());
        }

        Assert.True(pieces.Count > 1);
        Assert.Equal(text, string.Concat(pieces));
    }
}

/// <summary>The JSON port's idle logout: a server message, then the close.</summary>
public sealed class ChatJsonIdleTests
{
    [Fact]
    public async Task Idle_json_user_gets_a_server_message()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With("Chat:TimeoutSeconds=0.5"));
        await using var jane = await JsonChatUser.LoginAsync(server, "jane");
        Assert.Equal(
            """{"status": "serverMessage", "data": {"message": "You have been logged out due to inactivity."}}""" + "\n",
            await jane.Client.ReadToEndAsync());
    }
}
