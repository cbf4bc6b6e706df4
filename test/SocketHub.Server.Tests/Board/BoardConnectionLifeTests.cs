using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Board;

/// <summary>
/// How a board connection lives and ends: a client that sends a line end has a session; one that
/// sends none gets the original's one batch; half-close, one-batch mode, timeouts.
/// </summary>
public sealed class BoardConnectionLifeTests
{
    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public async Task Commands_ended_by_a_line_end_keep_the_session_open(string lineEnd)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        for (var i = 0; i < 3; i++)
        {
            await client.SendAsync("GET9%" + lineEnd);
            Assert.Equal("MSG[]%", await client.ReadRepliesAsync(1));
        }
    }

    [Fact]
    public async Task Once_a_line_end_came_the_connection_stays_a_session()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        await client.SendAsync("\n");
        for (var i = 0; i < 3; i++)
        {
            await client.SendAsync("GET9%");
            Assert.Equal("MSG[]%", await client.ReadRepliesAsync(1));
        }
    }

    [Fact]
    public async Task A_message_typed_over_several_lines_waits_for_its_percent_sign()
    {
        await using var server = await TestServer.StartAsync("Board:UnfinishedCommandTimeoutSeconds=0.1");
        await using var typist = await TcpTestClient.ConnectAsync(server.BoardPort);
        await typist.SendAsync("GET9%\n");
        Assert.Equal("MSG[]%", await typist.ReadRepliesAsync(1));
        await typist.SendAsync("POSTline one\n");

        // A program that began a command later, without a line end, times out first: by then the
        // typist's unfinished command would have too, were it held to the same short time.
        await using (var program = await TcpTestClient.ConnectAsync(server.BoardPort))
        {
            await program.SendAsync("POSTx");
            Assert.Equal("ERRTimeout!%", await program.ReadToEndAsync());
        }

        await typist.SendAsync("line two%\n");
        Assert.Equal("MSGPosting Message!%", await typist.ReadRepliesAsync(1));
        await typist.SendAsync("GET1%\n");
        Assert.Equal("MSG[(2, 'line one\\nline two')]%", await typist.ReadRepliesAsync(1));
    }

    [Fact]
    public async Task Without_a_line_end_the_replies_come_then_the_close_as_from_the_original()
    {
        await using var server = await TestServer.StartAsync("Board:IdleTimeoutSeconds=600");
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        await client.SendAsync("POSTone%GET1%");
        Assert.Equal("MSGPosting Message!%MSG[(2, 'one')]%", await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Without_a_line_end_an_unfinished_command_gets_the_originals_timeout_long_before_the_idle_timeout()
    {
        // The idle timeout is far beyond the test client's 20 s read deadline: only the short
        // unfinished-command time (default 1 s) can end this read.
        await using var server = await TestServer.StartAsync("Board:IdleTimeoutSeconds=600");
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        await client.SendAsync("POSTno end");
        Assert.Equal("ERRTimeout!%", await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Without_a_line_end_a_command_finished_in_a_later_packet_is_answered_then_the_close()
    {
        await using var server = await TestServer.StartAsync("Board:IdleTimeoutSeconds=600", "Board:UnfinishedCommandTimeoutSeconds=30");
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        await client.SendAsync("GET9%GE");
        Assert.Equal("MSG[]%", await client.ReadRepliesAsync(1));
        await client.SendAsync("T9%");
        Assert.Equal("MSG[]%", await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Half_closed_client_gets_every_reply_then_the_close()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        await client.SendAsync("POSTbye%GET%\n");
        client.ShutdownSend();
        Assert.Equal("MSGPosting Message!%MSG[(1, 'Server has Started'), (2, 'bye')]%", await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Last_command_arriving_with_end_of_stream_is_answered()
    {
        await using var server = await TestServer.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
            await client.SendAsync("GET5%");
            client.ShutdownSend();
            Assert.Equal("MSG[]%", await client.ReadToEndAsync());
        }
    }

    [Fact]
    public async Task Unfinished_command_at_end_of_stream_is_dropped_without_a_reply()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        await client.SendAsync("GET9%\nPOSTnever");
        client.ShutdownSend();
        Assert.Equal("MSG[]%", await client.ReadToEndAsync());
    }

    [Fact]
    public async Task One_batch_mode_closes_after_the_first_burst_even_when_it_ends_with_a_line_end()
    {
        await using var server = await TestServer.StartAsync("Board:OneBatchPerConnection=true", "Board:IdleTimeoutSeconds=600");
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        await client.SendAsync("POSTone%GET1%\r\n");
        Assert.Equal("MSGPosting Message!%MSG[(2, 'one')]%", await client.ReadToEndAsync());
    }

    [Fact]
    public async Task One_batch_mode_waits_for_the_first_complete_command()
    {
        await using var server = await TestServer.StartAsync("Board:OneBatchPerConnection=true", "Board:UnfinishedCommandTimeoutSeconds=30");
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        await client.SendAsync("GE");
        await client.SendAsync("T7%");
        Assert.Equal("MSG[]%", await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Silent_client_gets_timeout_then_close()
    {
        await using var server = await TestServer.StartAsync("Board:IdleTimeoutSeconds=0.3");
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        Assert.Equal("ERRTimeout!%", await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Dribbling_without_finishing_a_command_still_times_out()
    {
        await using var server = await TestServer.StartAsync("Board:IdleTimeoutSeconds=0.5");
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        var read = client.ReadToEndAsync();
        // Keep sending bytes of one endless command, as a session: bytes alone are not activity.
        await client.SendAsync("\n");
        while (!read.IsCompleted)
        {
            try
            {
                await client.SendAsync("x");
            }
            catch (System.Net.Sockets.SocketException)
            {
                break;
            }

            await Task.WhenAny(read, Task.Delay(50));
        }

        Assert.Equal("ERRTimeout!%", await read);
    }
}
