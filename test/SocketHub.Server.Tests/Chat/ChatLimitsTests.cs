using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

/// <summary>Idle logout, flood control, line length, and a client that stops reading.</summary>
public sealed class ChatLimitsTests
{
    [Fact]
    public async Task Idle_user_is_logged_out_and_received_messages_do_not_count()
    {
        await using var server = await TestServer.StartAsync(
            ChatTestSettings.With("Chat:TimeoutSeconds=1", "Chat:LinesPerSecond=1000", "Chat:LineBurst=1000"));
        await using var alice = await TextChatUser.LoginAsync(server, "alice");
        await using var idle = await TextChatUser.LoginAsync(server, "idle");
        await alice.ExpectAsync("idle logged in");
        var idleEnd = idle.Client.ReadToEndAsync();

        // alice keeps busy (her commands are activity) and keeps sending to idle (not activity for idle).
        var sawLogout = false;
        while (!sawLogout)
        {
            await alice.SendAsync("message idle ping");
            await alice.SendAsync("whoelse");
            string line;
            while ((line = await alice.ReadLineAsync()) != "End of list.")
            {
                sawLogout |= line == "idle logged out";
            }

            await Task.Delay(50, TestContext.Current.CancellationToken); // pacing alice's activity, not waiting for an event
        }

        var lines = (await idleEnd).Split('\n');
        Assert.Equal(["You have been logged out due to inactivity.", ""], lines[^2..]);
        Assert.All(lines[..^2], l => Assert.Equal("alice: ping", l));
    }

    [Fact]
    public async Task Flood_control_drops_lines_over_the_burst_until_the_rate_refills_them()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(
            null, services => services.AddSingleton<TimeProvider>(clock), ChatTestSettings.With("Chat:LinesPerSecond=5", "Chat:LineBurst=10"));
        await using var alice = await TextChatUser.LoginAsync(server, "alice");

        await alice.Client.SendAsync(string.Concat(Enumerable.Repeat("whoelse\n", 13)));
        await alice.ExpectAsync([.. Enumerable.Repeat("End of list.", 10), .. Enumerable.Repeat("Error. Slow down", 3)]);

        clock.Advance(TimeSpan.FromSeconds(0.4)); // two lines' worth
        await alice.Client.SendAsync(string.Concat(Enumerable.Repeat("whoelse\n", 3)));
        await alice.ExpectAsync("End of list.", "End of list.", "Error. Slow down");
    }

    [Fact]
    public async Task A_line_of_1024_bytes_is_fine_and_one_more_byte_closes_the_connection()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var alice = await TextChatUser.LoginAsync(server, "alice");
        await alice.RoundTripAsync("whoelse".PadRight(1024), "End of list.");

        await alice.Client.SendAsync(new string('x', 1025));
        Assert.Equal("Error. Line too long\n", await alice.Client.ReadToEndAsync());
    }

    [Fact]
    public async Task A_line_too_long_before_login_closes_too()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var client = await TextChatUser.ConnectAsync(server);
        await client.SendAsync(new string('x', 5000));
        Assert.Equal("Username: Error. Line too long\n", await client.ReadToEndAsync());
    }

    [Theory]
    [InlineData("Chat:OutgoingQueueLimit=16", "Chat:LineBurst=1000000")]
    [InlineData("Chat:OutgoingQueueBytes=20736", "Chat:LineBurst=10")] // the least bytes; a room burst of 3 x 11 lines
    public async Task A_client_that_never_reads_is_disconnected_and_never_stalls_a_broadcast(string limit, string burst)
    {
        const int broadcasts = 3000;
        await using var server = await TestServer.StartAsync(ChatTestSettings.With(limit, "Chat:LinesPerSecond=1000000", burst));
        await using var sender = await TextChatUser.LoginAsync(server, "sender");
        await using var reader = await TextChatUser.LoginAsync(server, "reader");
        await sender.ExpectAsync("reader logged in");

        var stuckClient = await TcpTestClient.ConnectAsync(server.PortOf("chat"), receiveBufferSize: 4096);
        await stuckClient.SendAsync("stuck\nsecret\n");
        Assert.Equal("Username: Password: " + ChatTestSettings.Welcome + "\n", await stuckClient.ReadUntilAsync("\n"));
        await sender.ExpectAsync("stuck logged in");
        await reader.ExpectAsync("stuck logged in");

        // From here on "stuck" reads nothing. About 3 MB go out to each listener, in batches the
        // reader takes before the next is sent, so only "stuck" ever falls behind.
        const int batchSize = 10; // below the queue limit: a burst is enqueued before the writer runs
        var padding = new string('p', 990);
        var received = 0;
        var sawStuckLeave = false;
        while (received < broadcasts)
        {
            var batch = new StringBuilder();
            for (var i = received; i < received + batchSize; i++)
            {
                batch.Append("broadcast ").Append(i).Append(' ').Append(padding).Append('\n');
            }

            await sender.Client.SendAsync(batch.ToString());
            var end = received + batchSize;
            while (received < end)
            {
                var line = await reader.ReadLineAsync();
                if (line == "stuck logged out")
                {
                    sawStuckLeave = true;
                    continue;
                }

                Assert.Equal($"sender (broadcast): {received} {padding}", line);
                received++;
            }
        }

        Assert.True(sawStuckLeave || await reader.ReadLineAsync() == "stuck logged out");
        await sender.ExpectAsync("stuck logged out");
        await sender.RoundTripAsync("whoelse", "reader", "End of list.");

        // What "stuck" finally reads ends with the close (or a reset), not with every broadcast.
        try
        {
            var rest = await stuckClient.ReadToEndAsync();
            Assert.True(rest.Length < broadcasts * padding.Length, $"read {rest.Length} characters");
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset)
        {
            // The abort may reset the connection: also a disconnect.
        }

        await stuckClient.DisposeAsync();
    }
}
