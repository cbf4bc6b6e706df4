using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Hosting;
using SocketHub.Server.Tests.Chat;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Hosting;

/// <summary>
/// A listener's pipeline built without Kestrel (the gate in front of the dialect's handler), run on
/// in-memory connections: the same counters and limits as over a socket, and a server abort seen
/// by the client as a reset.
/// </summary>
public sealed class ConnectionPipelinesTests
{
    [Fact]
    public async Task Each_listener_name_runs_behind_the_gate_of_its_own_dialect()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.FastHashing);
        var stats = server.App.Services.GetRequiredService<ServerStats>();

        foreach (var listener in new[] { "board", "history", "crypto", "chat", "chat-json", "secure-chat" })
        {
            await using (var client = server.ConnectInMemory(listener))
            {
                client.ShutdownSend();
                await client.ReadUntilClosedAsync();
            }

            // Disposing waits for the pipeline to finish, so the gate has counted the close too.
            var dialect = stats.Dialects.Single(d => d.Dialect.Name == listener);
            Assert.Equal((1, 0), (dialect.Total, dialect.Open));
        }
    }

    [Fact]
    public async Task The_gate_limits_connections_by_the_remote_address_of_the_connection()
    {
        await using var server = await TestServer.StartAsync("Limits:ConnectionsPerAddress=1");
        await using var first = server.ConnectInMemory("board", From("10.1.2.3", 50001));
        await first.SendAsync("\nGET%"); // a session: it stays open
        Assert.Equal("MSG[(1, 'Server has Started')]%", await first.ReadRepliesAsync(1));

        await using var neighbour = server.ConnectInMemory("board", From("10.1.2.3", 50002));
        Assert.Equal("ERRToo many connections from your address%", await neighbour.ReadToEndAsync());

        await using var elsewhere = server.ConnectInMemory("board", From("10.9.9.9", 50001));
        await elsewhere.SendAsync("GET%");
        Assert.Equal("MSG[(1, 'Server has Started')]%", await elsewhere.ReadToEndAsync());
    }

    [Fact]
    public async Task A_server_abort_is_a_reset_for_the_client_and_ends_the_connection()
    {
        await using var server = await TestServer.StartAsync();
        var connection = new InMemoryConnection();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionClosed.Register(closed.SetResult);
        await using var client = server.ConnectInMemory("board", connection);
        await client.SendAsync("\nGET%");
        Assert.Equal("MSG[(1, 'Server has Started')]%", await client.ReadRepliesAsync(1));

        var reading = client.ReadUntilClosedAsync();
        connection.Abort(new ConnectionAbortedException("The test aborts."));

        Assert.True((await reading.WaitAsync(RawClient.Deadline)).Reset);
        await closed.Task.WaitAsync(RawClient.Deadline);
        await client.Server.WaitAsync(RawClient.Deadline);
        Assert.Equal(0, server.App.Services.GetRequiredService<ServerStats>().Dialects.Single(d => d.Dialect.Name == "board").Open);
    }

    private static InMemoryConnection From(string address, int port) => new() { RemoteEndPoint = new IPEndPoint(IPAddress.Parse(address), port) };
}
