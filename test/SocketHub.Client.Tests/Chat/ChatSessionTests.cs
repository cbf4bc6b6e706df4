using Xunit;
using SocketHub.Client.Tests.Infrastructure;
using SocketHub.TestSupport;

namespace SocketHub.Client.Tests.Chat;

public sealed class ChatSessionTests
{

    private const string Ready = "Type help for the commands, logout to leave.";

    [Fact]
    public async Task Two_clients_chat_through_redirected_standard_input()
    {
        await using var server = await StartServerAsync();
        await using var alice = await LogInAsync(server, "alice", "--no-p2p");
        await using var bob = await LogInAsync(server, "bob", "--no-p2p");
        await alice.Output.WaitForLineAsync("bob is online!");

        alice.Type("message bob hello  there");
        await alice.Output.WaitForLineAsync("Your message to bob has been sent.");
        await bob.Output.WaitForLineAsync("alice: hello  there");

        bob.Type("broadcast hi all");
        await alice.Output.WaitForLineAsync("bob (broadcast): hi all");

        alice.Type("whoelse");
        await alice.Output.WaitForLineAsync(" * bob");

        alice.Type("shout");
        await alice.Output.WaitForLineAsync("Command unknown: shout");

        bob.Type("logout");
        await bob.Output.WaitForLineAsync("Logged out.");
        Assert.Equal(0, await bob.ExitCodeAsync());
        await alice.Output.WaitForLineAsync("bob has left the server.");

        // The end of input logs out too.
        alice.Input.End();
        Assert.Equal(0, await alice.ExitCodeAsync());
        await alice.Output.WaitForLineAsync("Logged out.");
    }

    [Fact]
    public async Task A_message_left_for_an_offline_user_is_shown_at_login()
    {
        await using var server = await StartServerAsync();
        await using (var bob = await LogInAsync(server, "bob", "--no-p2p"))
        {
            bob.Type("logout");
            Assert.Equal(0, await bob.ExitCodeAsync());
        }

        await using var alice = await LogInAsync(server, "alice", "--no-p2p");
        alice.Type("message bob see you tomorrow");
        await alice.Output.WaitForLineAsync("Your message will be sent when bob is online.");

        await using var again = InteractiveClient.Start(Args(server, "bob", "--no-p2p"));
        again.Type("pw-bob");
        await again.Output.WaitForLineAsync("Logged in as bob");
        await again.Output.WaitForLineAsync("<Message from alice> see you tomorrow");
    }

    [Fact]
    public async Task Private_messages_go_directly_between_clients_that_listen()
    {
        await using var server = await StartServerAsync();
        await using var alice = await LogInAsync(server, "alice");
        await using var bob = await LogInAsync(server, "bob");
        await alice.Output.WaitForAsync(l => l.StartsWith("Listening for direct private chats on port ", StringComparison.Ordinal), "the p2p listener");
        await bob.Output.WaitForAsync(l => l.StartsWith("Listening for direct private chats on port ", StringComparison.Ordinal), "the p2p listener");

        alice.Type("startprivate bob");
        await alice.Output.WaitForLineAsync("Ready to start a private connection with bob");
        await alice.Output.WaitForAsync(l => l.StartsWith("Direct connection to bob at 127.0.0.1:", StringComparison.Ordinal), "the direct connection");
        await bob.Output.WaitForLineAsync("alice started a private connection. You can private message them now.");

        alice.Type("private bob over the wire");
        await bob.Output.WaitForLineAsync("alice (private, direct): over the wire");

        bob.Type("private alice and back");
        await alice.Output.WaitForLineAsync("bob (private, direct): and back");

        alice.Type("stopprivate bob");
        await alice.Output.WaitForLineAsync("Chat with bob closed.");
        await bob.Output.WaitForLineAsync("alice (private, direct): Private chat is being closed.");
    }

    [Fact]
    public async Task Reaches_a_program_that_listens_on_the_port_of_its_server_connection()
    {
        // jane does what the original client does: no p2p announcement; she listens on the port
        // number of her connection to the server, which startprivate discloses.
        await using var server = await StartServerAsync();
        var (janeSocket, listener) = await ConnectWithListenerAsync(server.PortOf("chat-json"));
        using var listening = listener;
        using var jane = janeSocket;
        await jane.SendAsync("""{"command": "login", "data": ["jane", "pa55word"]}"""u8.ToArray(), TestContext.Current.CancellationToken);
        var buffer = new byte[1024];
        Assert.Contains("\"Logged in as jane\"", System.Text.Encoding.UTF8.GetString(buffer, 0, await jane.ReceiveAsync(buffer, TestContext.Current.CancellationToken)), StringComparison.Ordinal);

        await using var alice = await LogInAsync(server, "alice");
        alice.Type("startprivate jane");
        using var peer = await listener.AcceptAsync(TestContext.Current.CancellationToken);
        var read = await peer.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
        Assert.Equal("""{"command": "SYN", "data": {"sender": "alice"}}""", System.Text.Encoding.UTF8.GetString(buffer, 0, read));

        alice.Type("private jane hello jane");
        read = await peer.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
        Assert.Equal("""{"command": "private", "data": {"sender": "alice", "message": "hello jane"}}""", System.Text.Encoding.UTF8.GetString(buffer, 0, read));
    }

    [Fact]
    public async Task A_text_users_private_chat_is_relayed_by_the_server()
    {
        await using var server = await StartServerAsync();
        await using var alice = await LogInAsync(server, "alice");
        await using var tom = await TcpTestClient.ConnectAsync(server.PortOf("chat"));
        await tom.SendAsync("tom\npw-tom\n");
        await tom.ReadUntilAsync("Welcome to the greatest messaging application ever!\n");

        alice.Type("startprivate tom");
        await alice.Output.WaitForLineAsync("Cannot start private with 'tom' - User is on the text port, use message");

        await tom.SendAsync("startprivate alice\n");
        await alice.Output.WaitForLineAsync("tom started a private chat with you");
        await tom.SendAsync("private alice psst\n");
        await alice.Output.WaitForLineAsync("tom (private): psst");
        alice.Type("private tom relayed");
        await tom.ReadUntilAsync("alice (private): relayed\n");
    }

    [Fact]
    public async Task A_peer_that_blocked_you_is_never_reached_directly()
    {
        await using var server = await StartServerAsync();
        await using var alice = await LogInAsync(server, "alice");
        await using var bob = await LogInAsync(server, "bob");

        bob.Type("block alice");
        await bob.Output.WaitForLineAsync("You have blocked alice");

        alice.Type("startprivate bob");
        await alice.Output.WaitForLineAsync("Cannot start private with 'bob' - User unavailable");
        alice.Type("private bob psst");
        await alice.Output.WaitForLineAsync("Error. Private messaging to bob not enabled");

        Assert.DoesNotContain(alice.Output.Lines, l => l.StartsWith("Direct connection", StringComparison.Ordinal));
        Assert.DoesNotContain(bob.Output.Lines, l => l.Contains("psst", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_password_exits_4()
    {
        await using var server = await StartServerAsync();
        await using (var first = await LogInAsync(server, "dave", "--no-p2p"))
        {
            first.Type("logout");
            Assert.Equal(0, await first.ExitCodeAsync());
        }

        await using var second = InteractiveClient.Start(Args(server, "dave", "--no-p2p"));
        second.Type("not the password");

        Assert.Equal(4, await second.ExitCodeAsync());
        Assert.Equal("sockethub: login refused: Invalid credentials\n", second.Error.ToString());
    }

    /// <summary>
    /// A connection to the server and a listener on the same port number, as the original
    /// client makes them. The kernel may have given that port to another process's connection
    /// too, which forbids the listener: then (as the original could not) try another connection.
    /// </summary>
    internal static async Task<(System.Net.Sockets.Socket Connection, System.Net.Sockets.Socket Listener)> ConnectWithListenerAsync(int port)
    {
        for (var attempt = 1; ; attempt++)
        {
            var connection = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            connection.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Socket, System.Net.Sockets.SocketOptionName.ReuseAddress, true);
            await connection.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port), TestContext.Current.CancellationToken);
            var listener = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            listener.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Socket, System.Net.Sockets.SocketOptionName.ReuseAddress, true);
            try
            {
                listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Any, ((System.Net.IPEndPoint)connection.LocalEndPoint!).Port));
                listener.Listen(1);
                return (connection, listener);
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 20)
            {
                listener.Dispose();
                connection.Dispose();
            }
        }
    }

    private static Task<TestServer> StartServerAsync() => TestServer.StartAsync("Chat:PasswordIterations=1000");

    private static string[] Args(TestServer server, string user, params string[] more) =>
        ["chat", "--user", user, "--host", "127.0.0.1", "--port", server.PortOf("chat-json").ToString(), .. more];

    private static async Task<InteractiveClient> LogInAsync(TestServer server, string user, params string[] more)
    {
        var client = InteractiveClient.Start(Args(server, user, more));
        client.Type("pw-" + user);
        await client.Output.WaitForLineAsync("Logged in as " + user);
        await client.Output.WaitForLineAsync(Ready);
        return client;
    }
}
