using System.Net;
using System.Net.Sockets;
using Xunit;
using SocketHub.Client.Tests.Infrastructure;
using SocketHub.Protocol.Board;
using SocketHub.TestSupport;

namespace SocketHub.Client.Tests.Board;

public sealed class BoardCommandTests
{
    [Fact]
    public async Task Post_then_list_shows_the_message_in_a_table()
    {
        await using var server = await TestServer.StartAsync();
        var port = server.BoardPort.ToString();

        var post = await ClientRun.RunAsync("board", "post", "hello board", "--host", "127.0.0.1", "--port", port);
        Assert.Equal((0, "Posted.\n", ""), (post.ExitCode, post.Out, post.Error));

        var list = await ClientRun.RunAsync("board", "list", "--host", "127.0.0.1", "--port", port);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(list.Lines, l => l.Contains("│  1 │ Server has Started", StringComparison.Ordinal));
        Assert.Contains(list.Lines, l => l.Contains("│  2 │ hello board", StringComparison.Ordinal));
        Assert.Equal("2 message(s)", list.Lines[^1]);
    }

    [Fact]
    public async Task A_text_read_from_stdin_survives_the_python_list_format()
    {
        await using var server = await TestServer.StartAsync();
        var port = server.BoardPort.ToString();
        const string tricky = "it's \"both\" \\ tab\there é 😀";

        var post = await ClientRun.RunWithInputAsync(tricky + "\n", "board", "post", "-", "--host", "127.0.0.1", "--port", port);
        Assert.Equal(0, post.ExitCode);

        var list = await ClientRun.RunAsync("board", "list", "--since", "1", "--host", "127.0.0.1", "--port", port);
        Assert.Equal(0, list.ExitCode);
        Assert.DoesNotContain(list.Lines, l => l.Contains("Server has Started", StringComparison.Ordinal));
        Assert.Contains(list.Lines, l => l.Contains("it's \"both\" \\ tab", StringComparison.Ordinal) && l.Contains("here é 😀", StringComparison.Ordinal));
        Assert.Equal("1 message(s)", list.Lines[^1]);
    }

    [Fact]
    public async Task A_full_board_of_the_longest_messages_is_listed_in_full()
    {
        // 100 messages of 4,000 characters: a 400 KB reply, far longer than any command.
        await using var server = await TestServer.StartAsync("Board:PostsPerSecond=1000", "Board:PostBurst=1000");
        var messages = Enumerable.Range(1, 100).Select(i => $"m{i:000}-" + new string((char)('a' + (i % 26)), BoardFraming.MaxTextLength - 5)).ToList();
        await using (var poster = await TcpTestClient.ConnectAsync(server.BoardPort))
        {
            foreach (var message in messages)
            {
                await poster.SendAsync(BoardRequests.Post(message));
            }

            Assert.Equal(string.Concat(Enumerable.Repeat(BoardReplies.Posted, messages.Count)), await poster.ReadRepliesAsync(messages.Count));
        }

        var list = await ClientRun.RunAsync("board", "list", "--host", "127.0.0.1", "--port", server.BoardPort.ToString());

        Assert.Equal((0, ""), (list.ExitCode, list.Error));
        Assert.Equal("100 message(s)", list.Lines[^1]);
        Assert.Equal(string.Concat(messages), MessageColumn(list));
    }

    [Fact]
    public async Task Watch_prints_new_messages_until_cancelled()
    {
        await using var server = await TestServer.StartAsync();
        var port = server.BoardPort.ToString();
        await using var watch = InteractiveClient.Start("board", "watch", "--interval", "0.1", "--host", "127.0.0.1", "--port", port);
        await watch.Output.WaitForAsync(l => l.StartsWith("Watching ", StringComparison.Ordinal), "the watch to start");

        Assert.Equal(0, (await ClientRun.RunAsync("board", "post", "first news", "--host", "127.0.0.1", "--port", port)).ExitCode);
        Assert.Equal(0, (await ClientRun.RunAsync("board", "post", "second news", "--host", "127.0.0.1", "--port", port)).ExitCode);

        await watch.Output.WaitForLineAsync("[2] first news");
        await watch.Output.WaitForLineAsync("[3] second news");
        Assert.Equal(0, await watch.StopAsync());
        Assert.DoesNotContain(watch.Output.Lines, l => l.Contains("Server has Started", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watch_connects_again_when_the_server_closes_an_idle_connection()
    {
        // Polls are further apart than the server's idle timeout, so every poll finds its connection closed.
        await using var server = await TestServer.StartAsync("Board:IdleTimeoutSeconds=0.2");
        var port = server.BoardPort.ToString();
        await using var watch = InteractiveClient.Start("board", "watch", "--interval", "0.5", "--host", "127.0.0.1", "--port", port);
        await watch.Output.WaitForAsync(l => l.StartsWith("Watching ", StringComparison.Ordinal), "the watch to start");

        Assert.Equal(0, (await ClientRun.RunAsync("board", "post", "after a timeout", "--host", "127.0.0.1", "--port", port)).ExitCode);

        await watch.Output.WaitForLineAsync("[2] after a timeout");
        Assert.Equal(0, await watch.StopAsync());
        Assert.Equal(string.Empty, watch.Error.ToString());
    }

    [Fact]
    public async Task A_rate_limited_post_exits_4_with_the_reason()
    {
        await using var server = await TestServer.StartAsync("Board:PostsPerSecond=0.001", "Board:PostBurst=1");
        var port = server.BoardPort.ToString();

        Assert.Equal(0, (await ClientRun.RunAsync("board", "post", "one", "--host", "127.0.0.1", "--port", port)).ExitCode);
        var refused = await ClientRun.RunAsync("board", "post", "two", "--host", "127.0.0.1", "--port", port);

        Assert.Equal((4, "", "sockethub: the board refused: Rate Limited\n"), (refused.ExitCode, refused.Out, refused.Error));
    }

    [Fact]
    public async Task No_server_exits_3_with_one_line()
    {
        var port = FreePort();

        var run = await ClientRun.RunAsync("board", "list", "--host", "127.0.0.1", "--port", port.ToString());

        Assert.Equal(3, run.ExitCode);
        Assert.Equal($"sockethub: cannot connect to 127.0.0.1:{port}: connection refused (is the server running, and on this port?)\n", run.Error);
    }

    [Fact]
    public async Task Something_that_is_not_a_board_is_reported_as_unexpected()
    {
        await using var server = await TestServer.StartAsync();

        // The crypto port answers a board command with its own error line, never with a '%' frame.
        var run = await ClientRun.RunAsync("board", "list", "--host", "127.0.0.1", "--port", server.PortOf("history").ToString());

        Assert.NotEqual(0, run.ExitCode);
        Assert.StartsWith("sockethub: ", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("board")]
    [InlineData("board", "post")]
    [InlineData("board", "list", "--since", "x")]
    [InlineData("nonsense")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        var run = await ClientRun.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("sockethub --help", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_percent_sign_cannot_be_posted()
    {
        var run = await ClientRun.RunAsync("board", "post", "100%", "--port", "1");

        Assert.Equal((2, "sockethub: a board message cannot contain '%' (it ends a command)\n"), (run.ExitCode, run.Error));
    }

    /// <summary>The table's message column, its wrapped rows joined again (the texts hold no spaces to trim).</summary>
    private static string MessageColumn(ClientRun list) => string.Concat(list.Lines
        .Where(l => l.StartsWith('│'))
        .Skip(1) // the heading
        .Select(l => l.Split('│')[2].Trim()));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
