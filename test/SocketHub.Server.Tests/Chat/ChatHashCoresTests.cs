using SocketHub.Server.Chat;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

/// <summary>The order in which password checks get a core: returning users first, then each address in turn.</summary>
public sealed class ChatHashCoresTests
{
    /// <summary>Takes the cores one at a time as they come free and says whose request each went to.</summary>
    private static async Task<List<string>> GrantOrderAsync(ChatHashCores cores, ChatHashCores.Slot held, params (string Name, Task<ChatHashCores.Slot> Wait)[] waiting)
    {
        var order = new List<string>();
        var pending = waiting.ToList();
        var current = held;
        while (pending.Count > 0)
        {
            current.Dispose();
            var granted = await Task.WhenAny(pending.Select(p => p.Wait));
            var next = pending.Single(p => p.Wait == granted);
            pending.Remove(next);
            order.Add(next.Name);

            // Only the one core: nothing else can have been granted meanwhile.
            Assert.DoesNotContain(pending, p => p.Wait.IsCompleted);
            current = await granted;
        }

        current.Dispose();
        Assert.Equal(0, cores.Waiting);
        return order;
    }

    [Fact]
    public async Task Free_cores_are_given_at_once_and_the_next_request_waits()
    {
        var cores = new ChatHashCores(2);
        using var first = await cores.WaitAsync("10.0.0.1", ChatHashLane.Returning);
        var second = await cores.WaitAsync("10.0.0.1", ChatHashLane.Returning);
        var third = cores.WaitAsync("10.0.0.1", ChatHashLane.Returning);
        Assert.False(third.IsCompleted);
        Assert.Equal(1, cores.Waiting);

        second.Dispose();
        (await third).Dispose();
        Assert.Equal(0, cores.Waiting);
    }

    [Fact]
    public async Task Registrations_and_guesses_leave_one_core_to_returning_users()
    {
        var cores = new ChatHashCores(4);
        Assert.Equal(3, cores.OtherSlots);
        var flood = new List<ChatHashCores.Slot>();
        for (var i = 0; i < 3; i++)
        {
            flood.Add(await cores.WaitAsync($"10.0.0.{66 + i}", ChatHashLane.Other));
        }

        // A fourth core is free, but not for them.
        var waiting = cores.WaitAsync("10.0.0.70", ChatHashLane.Other);
        Assert.False(waiting.IsCompleted);

        // A returning user gets it at once; the next one waits for a core like anyone.
        var alice = cores.WaitAsync("10.0.0.5", ChatHashLane.Returning);
        Assert.True(alice.IsCompletedSuccessfully);
        var bob = cores.WaitAsync("10.0.0.6", ChatHashLane.Returning);
        Assert.False(bob.IsCompleted);

        // A flood hash ends: its core goes to bob, who came after the waiting registration.
        flood[0].Dispose();
        var bobs = await bob;
        Assert.False(waiting.IsCompleted);
        bobs.Dispose();
        (await waiting).Dispose();

        (await alice).Dispose();
        flood[1].Dispose();
        flood[2].Dispose();
        Assert.Equal(0, cores.Waiting);
    }

    [Fact]
    public void One_core_is_shared_by_both_lanes()
    {
        var cores = new ChatHashCores(1);
        Assert.Equal(1, cores.OtherSlots);
        Assert.True(cores.WaitAsync("10.0.0.66", ChatHashLane.Other).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_returning_login_goes_before_registrations_and_guesses_that_waited_longer()
    {
        var cores = new ChatHashCores(1);
        var held = await cores.WaitAsync("test", ChatHashLane.Other);
        var order = await GrantOrderAsync(
            cores,
            held,
            ("flood-1", cores.WaitAsync("10.0.0.66", ChatHashLane.Other)),
            ("flood-2", cores.WaitAsync("10.0.0.67", ChatHashLane.Other)),
            ("alice", cores.WaitAsync("10.0.0.5", ChatHashLane.Returning)),
            ("flood-3", cores.WaitAsync("10.0.0.68", ChatHashLane.Other)),
            ("bob", cores.WaitAsync("10.0.0.6", ChatHashLane.Returning)));

        Assert.Equal(["alice", "bob", "flood-1", "flood-2", "flood-3"], order);
    }

    [Fact]
    public async Task Within_a_lane_each_address_takes_its_turn_so_many_connections_from_one_do_not_crowd_out_another()
    {
        var cores = new ChatHashCores(1);
        var held = await cores.WaitAsync("test", ChatHashLane.Other);
        var order = await GrantOrderAsync(
            cores,
            held,
            ("a1", cores.WaitAsync("10.0.0.66", ChatHashLane.Other)),
            ("a2", cores.WaitAsync("10.0.0.66", ChatHashLane.Other)),
            ("a3", cores.WaitAsync("10.0.0.66", ChatHashLane.Other)),
            ("b1", cores.WaitAsync("10.0.0.7", ChatHashLane.Other)),
            ("c1", cores.WaitAsync("10.0.0.8", ChatHashLane.Other)),
            ("b2", cores.WaitAsync("10.0.0.7", ChatHashLane.Other)));

        Assert.Equal(["a1", "b1", "c1", "a2", "b2", "a3"], order);
    }

    [Fact]
    public async Task A_cancelled_wait_gives_up_its_place_and_is_never_granted()
    {
        var cores = new ChatHashCores(1);
        var held = await cores.WaitAsync("test", ChatHashLane.Other);
        using var gone = new CancellationTokenSource();
        var cancelled = cores.WaitAsync("10.0.0.66", ChatHashLane.Returning, gone.Token);
        var next = cores.WaitAsync("10.0.0.7", ChatHashLane.Other);
        Assert.Equal(2, cores.Waiting);

        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(1, cores.Waiting);

        held.Dispose();
        (await next).Dispose();
        Assert.Equal(0, cores.Waiting);

        // The core came back: the next request gets it at once.
        Assert.True(cores.WaitAsync("10.0.0.8", ChatHashLane.Other).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_slot_disposed_twice_returns_its_core_once()
    {
        var cores = new ChatHashCores(1);
        var slot = await cores.WaitAsync("test", ChatHashLane.Other);
        slot.Dispose();
        slot.Dispose();
        using var again = await cores.WaitAsync("test", ChatHashLane.Other);
        Assert.False(cores.WaitAsync("test", ChatHashLane.Other).IsCompleted);
    }
}
