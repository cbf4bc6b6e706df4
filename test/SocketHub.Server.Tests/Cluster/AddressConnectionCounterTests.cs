using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Cluster;
using SocketHub.Server.Hosting;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Cluster;

/// <summary>The per-address limit without a backplane: the node's own count, answered at once, as before.</summary>
public sealed class AddressConnectionCounterTests
{
    [Fact]
    public async Task The_local_counter_answers_at_once_and_counts_as_the_limiter_does()
    {
        var limiter = new AddressConnectionLimiter(limitPerAddress: 2);
        var address = IPAddress.Parse("192.0.2.7");

        var first = limiter.TryAcquireAsync(address);
        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(await first);
        Assert.True(await limiter.TryAcquireAsync(address));
        var third = limiter.TryAcquireAsync(address);
        Assert.True(third.IsCompletedSuccessfully);
        Assert.False(await third);
        Assert.Equal(2, limiter.OpenFrom(address));
        Assert.Equal([KeyValuePair.Create(address, 2)], limiter.Open);

        limiter.Release(address);
        Assert.True(await limiter.TryAcquireAsync(address));
        limiter.Release(address);
        limiter.Release(address);
        Assert.Equal(0, limiter.OpenFrom(address));
        Assert.Empty(limiter.Open);
    }

    [Fact]
    public async Task Without_a_backplane_the_gates_count_on_the_nodes_own_limiter()
    {
        await using var server = await TestServer.StartAsync("Limits:ConnectionsPerAddress=7");
        var services = server.App.Services;
        var limiter = services.GetRequiredService<AddressConnectionLimiter>();
        Assert.Same(limiter, services.GetRequiredService<IAddressConnectionCounter>());
        Assert.Equal(7, limiter.Limit);
        Assert.Null(services.GetService<RedisAddressConnectionCounter>());
    }
}
