using Xunit;
using SocketHub.Client.Tests.Infrastructure;
using SocketHub.Server.Tests.Infrastructure;

namespace SocketHub.Client.Tests.Chat;

public sealed class ChatSessionTests
{
    private const string Welcome = "Welcome to the greatest messaging application ever!";
    private const string Ready = "Type help for the commands, logout to leave.";

    [Fact]
    public async Task Two_clients_chat_through_redirected_standard_input()
    {
        await using var server = await StartServerAsync();
        await using var alice = await LogInAsync(server, "alice", "--no-p2p");
        await using var bob = await LogInAsync(server, "bob", "--no-p2p");
        await alice.Output.WaitForLineAsync("bob logged in");

        alice.Type("message bob hello  there");
        await bob.Output.WaitForLineAsync("alice: hello  there");

        bob.Type("broadcast hi all");
        await alice.Output.WaitForLineAsync("bob (broadcast): hi all");

        alice.Type("whoelse");
        await alice.Output.WaitForLineAsync("End of list.");
        var lines = alice.Output.Lines;
        Assert.Equal("bob", lines[lines.ToList().IndexOf("End of list.") - 1]);

        alice.Type("shout");
        await alice.Output.WaitForLineAsync("Error. Invalid command");

        bob.Type("logout");
        await bob.Output.WaitForLineAsync("Goodbye.");
        Assert.Equal(0, await bob.ExitCodeAsync());
        await alice.Output.WaitForLineAsync("bob logged out");

        // The end of input logs out too.
        alice.Input.End();
        Assert.Equal(0, await alice.ExitCodeAsync());
        await alice.Output.WaitForLineAsync("Goodbye.");
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
        await alice.Output.WaitForLineAsync("Start private messaging with bob");
        await alice.Output.WaitForAsync(l => l.StartsWith("Direct connection to bob at 127.0.0.1:", StringComparison.Ordinal), "the direct connection");
        await bob.Output.WaitForLineAsync("alice started a private chat with you");

        alice.Type("private bob over the wire");
        await bob.Output.WaitForLineAsync("alice (private, direct): over the wire");

        await bob.Output.WaitForLineAsync("alice connected directly for private chat.");
        bob.Type("private alice and back");
        await alice.Output.WaitForLineAsync("bob (private, direct): and back");

        Assert.DoesNotContain(bob.Output.Lines, l => l.StartsWith("alice (private):", StringComparison.Ordinal));
        Assert.DoesNotContain(alice.Output.Lines, l => l.StartsWith("bob (private):", StringComparison.Ordinal));

        alice.Type("stopprivate bob");
        await alice.Output.WaitForLineAsync("Private messaging with bob stopped");
        await bob.Output.WaitForLineAsync("alice stopped the private chat");
    }

    [Fact]
    public async Task Private_messages_fall_back_to_the_server_when_the_peer_does_not_listen()
    {
        await using var server = await StartServerAsync();
        await using var alice = await LogInAsync(server, "alice");
        await using var carol = await LogInAsync(server, "carol", "--no-p2p");

        alice.Type("startprivate carol");
        await alice.Output.WaitForLineAsync("carol takes no direct connections; private messages go through the server.");

        alice.Type("private carol through the server");
        await carol.Output.WaitForLineAsync("alice (private): through the server");
        Assert.DoesNotContain(alice.Output.Lines, l => l.StartsWith("Direct connection", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Private_messages_fall_back_to_the_server_when_the_direct_connection_fails()
    {
        await using var server = await StartServerAsync();

        // jane is a bare JSON program that advertises a port nobody listens on.
        await using var jane = await TcpTestClient.ConnectAsync(server.PortOf("chat-json"));
        await jane.SendAsync("{\"command\": \"login\", \"data\": [\"jane\", \"pa55word\"]}\n");
        Assert.Contains("\"status\":\"success\"", await jane.ReadLineAsync(), StringComparison.Ordinal);
        var closedPort = ClosedPort();
        await jane.SendAsync($"{{\"command\": \"p2p\", \"data\": [\"{closedPort}\"]}}\n");
        Assert.Equal($"{{\"status\":\"success\",\"command\":\"p2p\",\"data\":{{\"message\":\"P2P port {closedPort} recorded\"}}}}", await jane.ReadLineAsync());

        await using var alice = await LogInAsync(server, "alice");
        alice.Type("startprivate jane");
        await alice.Output.WaitForAsync(
            l => l.StartsWith($"Could not connect directly to jane (cannot connect to 127.0.0.1:{closedPort}", StringComparison.Ordinal)
                && l.EndsWith("); private messages go through the server.", StringComparison.Ordinal),
            "the failed direct connection");
        alice.Type("private jane relayed");

        await jane.ReadUntilAsync("{\"status\":\"private\",\"data\":{\"sender\":\"alice\",\"text\":\"relayed\",\"message\":\"alice (private): relayed\"}}\n");
    }

    [Fact]
    public async Task A_peer_that_blocked_you_is_never_reached_directly()
    {
        await using var server = await StartServerAsync();
        await using var alice = await LogInAsync(server, "alice");
        await using var bob = await LogInAsync(server, "bob");

        bob.Type("block alice");
        await bob.Output.WaitForLineAsync("alice is blocked");

        alice.Type("startprivate bob");
        await alice.Output.WaitForLineAsync("Error. Private messaging to bob not enabled");
        alice.Type("private bob psst");
        alice.Type("whoelse");
        await alice.Output.WaitForLineAsync("End of list.");

        Assert.Equal(2, alice.Output.Lines.Count(l => l == "Error. Private messaging to bob not enabled"));
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
        Assert.Equal("sockethub: login refused: Invalid Password. Please try again\n", second.Error.ToString());
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task<TestServer> StartServerAsync() => TestServer.StartAsync("Chat:PasswordIterations=1000");

    private static string[] Args(TestServer server, string user, params string[] more) =>
        ["chat", "--user", user, "--host", "127.0.0.1", "--port", server.PortOf("chat-json").ToString(), .. more];

    private static async Task<InteractiveClient> LogInAsync(TestServer server, string user, params string[] more)
    {
        var client = InteractiveClient.Start(Args(server, user, more));
        client.Type("pw-" + user);
        await client.Output.WaitForLineAsync(Welcome);
        await client.Output.WaitForLineAsync(Ready);
        return client;
    }
}
