using SocketHub.Server.Tests.Infrastructure;
using Xunit;

namespace SocketHub.Server.Tests.Board;

/// <summary>How a board connection lives and ends: keep-alive, half-close, one batch, idle timeout.</summary>
public sealed class BoardConnectionLifeTests
{
    [Fact]
    public async Task Connection_stays_open_after_a_reply()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        for (var i = 0; i < 3; i++)
        {
            await client.SendAsync("GET9%");
            Assert.Equal("MSG[]%", await client.ReadRepliesAsync(1));
        }
    }

    [Fact]
    public async Task Half_closed_client_gets_every_reply_then_the_close()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        await client.SendAsync("POSTbye%GET%");
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
        await client.SendAsync("GET9%POSTnever");
        client.ShutdownSend();
        Assert.Equal("MSG[]%", await client.ReadToEndAsync());
    }

    [Fact]
    public async Task One_batch_mode_answers_the_first_burst_then_closes()
    {
        await using var server = await TestServer.StartAsync("Board:OneBatchPerConnection=true");
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        await client.SendAsync("POSTone%GET1%");
        Assert.Equal("MSGPosting Message!%MSG[(2, 'one')]%", await client.ReadToEndAsync());
    }

    [Fact]
    public async Task One_batch_mode_waits_for_the_first_complete_command()
    {
        await using var server = await TestServer.StartAsync("Board:OneBatchPerConnection=true");
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
        // Keep sending bytes of one endless command: bytes alone are not activity.
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
