using System.Net;
using SocketHub.Server.Hosting;
using SocketHub.Server.Tests.Infrastructure;
using Xunit;

namespace SocketHub.Server.Tests.Hosting;

public sealed class AddressLimiterTests
{
    [Fact]
    public void Rate_limiter_allows_the_burst_then_refills_at_the_rate()
    {
        var clock = new ManualTimeProvider();
        var limiter = new AddressRateLimiter(perSecond: 2, burst: 3, clock);

        Assert.True(limiter.TryAcquire("10.0.0.1"));
        Assert.True(limiter.TryAcquire("10.0.0.1"));
        Assert.True(limiter.TryAcquire("10.0.0.1"));
        Assert.False(limiter.TryAcquire("10.0.0.1"));

        clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(limiter.TryAcquire("10.0.0.1"));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(limiter.TryAcquire("10.0.0.1"));
        Assert.False(limiter.TryAcquire("10.0.0.1"));
    }

    [Fact]
    public void Rate_limiter_keeps_addresses_apart_and_never_banks_more_than_the_burst()
    {
        var clock = new ManualTimeProvider();
        var limiter = new AddressRateLimiter(perSecond: 10, burst: 2, clock);

        Assert.True(limiter.TryAcquire("a"));
        Assert.True(limiter.TryAcquire("a"));
        Assert.False(limiter.TryAcquire("a"));
        Assert.True(limiter.TryAcquire("b"));

        clock.Advance(TimeSpan.FromHours(1));
        Assert.True(limiter.TryAcquire("a"));
        Assert.True(limiter.TryAcquire("a"));
        Assert.False(limiter.TryAcquire("a"));
    }

    [Fact]
    public void Connection_limiter_counts_per_address_and_frees_on_release()
    {
        var limiter = new AddressConnectionLimiter(limitPerAddress: 2);
        var one = IPAddress.Parse("192.0.2.1");
        var two = IPAddress.Parse("192.0.2.2");

        Assert.True(limiter.TryAcquire(one));
        Assert.True(limiter.TryAcquire(one));
        Assert.False(limiter.TryAcquire(one));
        Assert.True(limiter.TryAcquire(two));

        limiter.Release(one);
        Assert.True(limiter.TryAcquire(one));
        limiter.Release(one);
        limiter.Release(one);
        Assert.Equal(0, limiter.OpenFrom(one));
    }

    [Fact]
    public async Task Connection_limiter_never_exceeds_its_limit_under_contention()
    {
        var limiter = new AddressConnectionLimiter(limitPerAddress: 50);
        var address = IPAddress.Loopback;
        var granted = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                if (limiter.TryAcquire(address))
                {
                    var now = Interlocked.Increment(ref granted);
                    Assert.InRange(now, 1, 50);
                    Interlocked.Decrement(ref granted);
                    limiter.Release(address);
                }
            }
        })));
        Assert.Equal(0, limiter.OpenFrom(address));
    }
}
