using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Hosting;
using SocketHub.TestSupport;
using Xunit;
using static SocketHub.Server.Tests.History.HistoryWire;

namespace SocketHub.Server.Tests.History;

/// <summary>One request, one reply, close: however the request arrives, and whatever arrives instead.</summary>
public sealed class HistoryConnectionTests
{
    private static Task<TestServer> StartAsync(params string[] settings) =>
        TestServer.StartAsync(["History:Users:0=alice", .. settings]);

    [Fact]
    public async Task Seed_client_sends_one_line_and_reads_until_the_server_closes()
    {
        await using var server = await StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("history"));
        await client.SendAsync("alice 2\n");
        var reply = await client.ReadToEndAsync();
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(Head())}\\{{'127\\.0\\.0\\.1': 'alice {Timestamp}'\\}}\n$", reply);
    }

    [Fact]
    public async Task Python_client_sending_one_line_reads_the_reply_until_close()
    {
        await using var server = await StartAsync();
        var script =
            "import socket, sys\n" +
            "s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))\n" +
            "s.sendall(b'alice\\n')\n" +
            "data = b''\n" +
            "while True:\n" +
            "    chunk = s.recv(1024)\n" +
            "    if not chunk:\n" +
            "        break\n" +
            "    data += chunk\n" +
            "sys.stdout.write(data.decode('utf-8'))\n";
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(server.PortOf("history").ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var python = Process.Start(start)!;
        var output = python.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = python.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await python.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.True(python.ExitCode == 0, await error);
        Assert.Equal(Head(), await output);
    }

    [Fact]
    public async Task Netcat_style_line_then_half_close_is_answered()
    {
        await using var server = await StartAsync();
        var name = NewUserReply().Match(await server.AskAsync("new\n")).Groups[1].Value;
        var reply = await server.AskAsync($"{name} 2\n");
        Assert.StartsWith(Head(), reply, StringComparison.Ordinal);
        var lines = reply[Head().Length..].Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal(string.Empty, lines[2]); // the listing's last line ends with a line end
        Assert.Matches(RequestLine("new"), lines[0]);
        Assert.Matches(RequestLine(name), lines[1]);
    }

    [Fact]
    public async Task Request_without_a_newline_ends_at_the_half_close()
    {
        await using var server = await StartAsync();
        Assert.Equal(Head() + "All history deleted.", await server.AskAsync("alice 3"));
    }

    [Theory]
    [InlineData("alice 1 1\r\n")]
    [InlineData("alice 1 1\r")]
    [InlineData("alice 1 1\r\0")]
    public async Task Telnet_line_ends_are_line_ends(string request)
    {
        await using var server = await StartAsync();
        Assert.Equal(Head() + "\nHistory at 1 deleted by alice.", await server.AskAsync(request));
    }

    [Fact]
    public async Task Telnet_negotiation_is_removed_before_parsing()
    {
        await using var server = await StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("history"));
        await client.SendAsync([255, 251, 24, .. "alice"u8, 255, 244, .. " 3\r\n"u8]);
        Assert.Equal(Head() + "All history deleted.", await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Request_split_across_packets_is_put_back_together()
    {
        await using var server = await StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("history"));
        foreach (var piece in new[] { "al", "ice", " ", "1", " 1", "\r", "\n" })
        {
            await client.SendAsync(piece);
        }

        Assert.Equal(Head() + "\nHistory at 1 deleted by alice.", await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Only_the_first_line_is_a_request()
    {
        await using var server = await StartAsync();
        Assert.Equal(Head(), await server.AskAsync("alice\nalice 3\n"));
        Assert.Equal(1, await server.CountAsync());
    }

    [Fact]
    public async Task Empty_request_with_half_close_is_logged_and_refused()
    {
        await using var server = await StartAsync();
        Assert.Equal("Authentication error.", await server.AskAsync(string.Empty));
        var lines = await server.ShowAsync();
        Assert.Matches($"^\\{{'127\\.0\\.0\\.1': ' {Timestamp}'\\}}$", lines[0]);
    }

    [Fact]
    public async Task Request_of_exactly_2048_bytes_is_accepted()
    {
        await using var server = await StartAsync();
        Assert.Equal("Authentication error.", await server.AskAsync(new string('x', 2048) + "\n"));
        Assert.Equal(1, await server.CountAsync());
    }

    [Fact]
    public async Task Oversize_request_gets_an_error_line_and_is_not_logged()
    {
        await using var server = await StartAsync();
        Assert.Equal("Request too long: at most 2048 bytes.", await server.AskAsync("alice 2 " + new string('x', 2041) + "\n"));
        Assert.Equal(0, await server.CountAsync());
    }

    [Fact]
    public async Task Oversize_sender_still_sending_gets_the_error_line_before_the_close()
    {
        await using var server = await StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("history"));
        var blob = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
        await client.SendAsync(blob);
        client.ShutdownSend();
        Assert.Equal("Request too long: at most 2048 bytes.", await client.ReadToEndAsync());
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0x6c, 0x69, 0x63, 0x65, 0x20, 0xff, 0x0a })]
    [InlineData(new byte[] { 0xc3, 0x28, 0x0a })]
    [InlineData(new byte[] { 0x61, 0x6c, 0x69, 0x63, 0x65, 0x20, 0xed, 0xa0, 0x80 })]
    public async Task Invalid_utf8_gets_an_error_line_and_is_logged(byte[] request)
    {
        await using var server = await StartAsync();
        await using (var client = await TcpTestClient.ConnectAsync(server.PortOf("history")))
        {
            await client.SendAsync(request);
            client.ShutdownSend();
            Assert.Equal("Request is not valid UTF-8.", await client.ReadToEndAsync());
        }

        Assert.Equal(1, await server.CountAsync());
    }

    [Fact]
    public async Task Non_ascii_user_words_are_fine()
    {
        await using var server = await StartAsync("History:Users:1=éva😀");
        Assert.Equal(Head(), await server.AskAsync("éva😀\n"));
    }

    [Fact]
    public async Task Silent_client_gets_a_timeout_line_and_is_not_logged()
    {
        await using var server = await StartAsync("History:RequestTimeoutSeconds=0.3");
        await using (var client = await TcpTestClient.ConnectAsync(server.PortOf("history")))
        {
            Assert.Equal("Request timed out.", await client.ReadToEndAsync());
        }

        Assert.Equal(0, await server.CountAsync());
    }

    [Fact]
    public async Task Unfinished_line_without_half_close_times_out()
    {
        await using var server = await StartAsync("History:RequestTimeoutSeconds=0.3");
        await using (var client = await TcpTestClient.ConnectAsync(server.PortOf("history")))
        {
            await client.SendAsync("alice 3");
            Assert.Equal("Request timed out.", await client.ReadToEndAsync());
        }

        Assert.Equal(0, await server.CountAsync());
    }

    [Fact]
    public async Task Requests_over_the_rate_are_refused_and_not_logged()
    {
        // A refill so slow it cannot add a token during the test: exactly the burst gets through.
        await using var server = await StartAsync("History:RequestsPerSecond=0.001", "History:RequestBurst=3");
        Assert.Equal("Authentication error.", await server.AskAsync("u1\n"));
        Assert.Equal(Head(), await server.AskAsync("alice\n"));
        Assert.Equal("Authentication error.", await server.AskAsync("\n"));
        Assert.Equal("Too many requests.", await server.AskAsync("alice 3\n"));
        Assert.Equal("Too many requests.", await server.AskAsync("new\n"));
        Assert.Equal(3, await server.CountAsync());
    }

    [Fact]
    public async Task Connections_over_the_per_address_limit_get_a_reason_line()
    {
        await using var server = await StartAsync("Limits:ConnectionsPerAddress=1");

        // The limit counts every port. A board session holds the one place; its answer proves the
        // server has taken it in (a finished TCP handshake alone does not).
        await using var holder = await TcpTestClient.ConnectAsync(server.BoardPort);
        await holder.SendAsync("GET99999999%\n");
        Assert.Equal("MSG[]%", await holder.ReadUntilAsync("%"));
        await using (var refused = await TcpTestClient.ConnectAsync(server.PortOf("history")))
        {
            Assert.Equal("Too many connections from your address.", await refused.ReadToEndAsync());
        }

        // The server frees the place before it closes the socket: once the close is seen, the
        // address is served again.
        holder.ShutdownSend();
        await holder.ReadToEndAsync();
        await using var served = await TcpTestClient.ConnectAsync(server.PortOf("history"));
        await served.SendAsync("alice\n");
        Assert.Equal(Head(), await served.ReadToEndAsync());
    }

    [Fact]
    public async Task Waiting_client_is_told_when_the_server_stops()
    {
        var server = await StartAsync();
        try
        {
            await using var client = await TcpTestClient.ConnectAsync(server.PortOf("history"));
            await client.SendAsync("alice");
            var reply = client.ReadToEndAsync();
            Assert.Equal(Head(), await server.AskAsync("alice\n")); // the connection above is open by now
            var stopping = server.StopAsync();
            Assert.Equal("Server shutting down.", await reply);
            await stopping;
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Requests_and_errors_are_counted()
    {
        await using var server = await StartAsync();
        await server.AskAsync("alice\n");
        await server.AskAsync("alice 1 x\n");
        await server.AskAsync("mallory\n");
        await server.AskAsync(new string('x', 3000));

        var history = server.App.Services.GetRequiredService<ServerStats>().Dialects.Single(d => d.Dialect.Name == "history");
        Assert.Equal(server.PortOf("history"), history.Port);
        Assert.Equal(4, history.Total);
        Assert.Equal(3, history.Requests);
        Assert.Equal(3, history.Errors);
    }

    [Fact]
    public async Task Server_log_names_the_operation_but_never_the_user_word()
    {
        using var data = new TempDirectory();
        await using (var server = await TestServer.StartInAsync(
            data.Path, "History:Users:0=s3cret-word", "Serilog:MinimumLevel:Default=Debug"))
        {
            await server.AskAsync("s3cret-word 2\n");
            await server.AskAsync("wr0ng-guess 3\n");
            var name = NewUserReply().Match(await server.AskAsync("new\n")).Groups[1].Value;
            await server.AskAsync($"{name} 1 1\n");
            await server.StopAsync();

            var log = string.Concat(Directory.GetFiles(Path.Combine(data.Path, "logs")).Select(ReadShared));
            Assert.Contains("operation Show", log, StringComparison.Ordinal);
            Assert.Contains("operation DeleteAll", log, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret-word", log, StringComparison.Ordinal);
            Assert.DoesNotContain("wr0ng-guess", log, StringComparison.Ordinal);
            Assert.DoesNotContain(name, log, StringComparison.Ordinal);
        }
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
