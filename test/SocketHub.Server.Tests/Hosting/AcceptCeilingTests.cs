using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Hosting;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Hosting;

/// <summary>
/// The ceiling on accepted sockets, refused ones included: past it a new client is held
/// unanswered until a socket closes, instead of the process running out of file descriptors.
/// </summary>
public sealed class AcceptCeilingTests
{
    [Fact]
    public void The_ceiling_is_the_cap_and_the_refusals_in_flight()
    {
        Assert.Equal(462 + AcceptCeiling.RefusalsInFlight, AcceptCeiling.For(462));
        Assert.Equal(int.MaxValue, AcceptCeiling.For(int.MaxValue));
    }

    [Fact]
    public async Task A_place_is_taken_at_once_while_there_is_room_and_waited_for_when_there_is_none()
    {
        var clock = new ManualTimeProvider();
        using var ceiling = new AcceptCeiling(2, clock);
        var cancel = TestContext.Current.CancellationToken;

        Assert.False(await ceiling.TakeAsync(cancel));
        Assert.False(await ceiling.TakeAsync(cancel));
        Assert.Equal(2, ceiling.Open);

        var third = ceiling.TakeAsync(cancel).AsTask();
        Assert.False(third.IsCompleted);
        ceiling.Give();
        Assert.True(await third); // it had to wait: the first wait is reported
        Assert.Equal(2, ceiling.Open);

        // Another wait within the report interval is not reported again; one after it is.
        var fourth = ceiling.TakeAsync(cancel).AsTask();
        ceiling.Give();
        Assert.False(await fourth);
        clock.Advance(TimeSpan.FromSeconds(10));
        var fifth = ceiling.TakeAsync(cancel).AsTask();
        ceiling.Give();
        Assert.True(await fifth);
    }

    [Fact]
    public async Task Past_the_ceiling_a_client_is_answered_once_another_socket_closes()
    {
        using var ceiling = new AcceptCeiling(2, TimeProvider.System);
        await using var server = await TestServer.StartAsync(null, services => services.AddSingleton(ceiling), []);
        await using var first = await Session(server);
        await using var second = await Session(server);
        Assert.Equal(2, ceiling.Open); // every listener accepts through the ceiling

        await using var third = await TcpTestClient.ConnectAsync(server.BoardPort);
        await third.SendAsync("GET%");
        var reply = third.ReadToEndAsync();

        // The server goes on answering the clients it holds, but not the third.
        await second.SendAsync("GET%");
        Assert.Equal("MSG[(1, 'Server has Started')]%", await second.ReadRepliesAsync(1));
        Assert.False(reply.IsCompleted);

        first.ShutdownSend();
        await first.ReadToEndAsync();
        Assert.Equal("MSG[(1, 'Server has Started')]%", await reply);
    }

    /// <summary>A board session the server has certainly taken in: it has answered.</summary>
    private static async Task<TcpTestClient> Session(TestServer server)
    {
        var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        await client.SendAsync("\nGET%");
        Assert.Equal("MSG[(1, 'Server has Started')]%", await client.ReadRepliesAsync(1));
        return client;
    }
}
