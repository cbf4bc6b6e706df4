using System.Diagnostics;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Board;

/// <summary>
/// The original board client's exchange, byte for byte, on default settings. That client
/// (SocketServer-Example's client.py) makes five calls, each on a new connection: it sends one
/// command with no line end and reads with <c>recv(1024, MSG_WAITALL)</c>, which returns only at
/// 1,024 bytes or when the server closes. So each reply is useful to it only once the close follows.
/// </summary>
public sealed class BoardOriginalClientTests
{
    /// <summary>What each call sends and what the client prints after "Received: ".</summary>
    private static readonly (string Command, string Reply)[] Calls =
    [
        ("POSTHelloDere!%", "MSGPosting Message!%"),
        ("GET%", "MSG[(1, 'Server has Started'), (2, 'HelloDere!')]%"),
        ("POSTHelloAgain!%", "MSGPosting Message!%"),
        ("YOLOLOLOLOLOLOLOLOLOL%", "ERRUnknown Command%"),

        // "y" * 1: a command that never ends. The original's author meant ERRTimeout!% for it.
        ("y", "ERRTimeout!%"),
    ];

    [Fact]
    public async Task The_five_calls_each_get_their_reply_and_the_close_without_waiting_for_the_idle_timeout()
    {
        await using var server = await TestServer.StartAsync();
        var idle = TimeSpan.FromSeconds(30); // Board:IdleTimeoutSeconds, default

        foreach (var (command, reply) in Calls)
        {
            var clock = Stopwatch.StartNew();
            await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
            await client.SendAsync(command);

            // Everything until the close (the test client gives up after 20 s, before the idle timeout).
            Assert.Equal(reply, await client.ReadToEndAsync());
            Assert.True(clock.Elapsed < idle / 2, $"'{command}' waited {clock.Elapsed} for its close: that is the idle timeout, not the original's life cycle");
        }
    }
}
