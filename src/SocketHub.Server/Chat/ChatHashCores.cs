namespace SocketHub.Server.Chat;

/// <summary>Which password checks go first when every core is hashing.</summary>
public enum ChatHashLane
{
    /// <summary>
    /// A login to an account from the address of its last successful login, with no wrong
    /// password since: most likely its owner.
    /// </summary>
    Returning,

    /// <summary>
    /// Registrations, logins from another address, and logins to accounts that have had wrong
    /// passwords: what a hash-cost attack is made of (and, now and then, a user on a new machine).
    /// </summary>
    Other,
}

/// <summary>
/// The turns at the cores for password hashing: at most one hash per core at a time, the others
/// wait here. <see cref="ChatHashLane.Other"/> checks (registrations, guesses) may use every core
/// but one, which is kept for <see cref="ChatHashLane.Returning"/> logins; a free core goes to
/// that lane first, and within a lane to each waiting remote address in turn, oldest request
/// first for that address. So a flood of registrations or guesses, from one address or from
/// many, leaves a returning user's login a core of its own (on one core: the next turn), and one
/// address's many connections do not crowd out another address's one.
/// </summary>
public sealed class ChatHashCores
{
    private readonly Lock _lock = new();
    private readonly Lane[] _lanes = [new(), new()];
    private readonly List<(int Count, TaskCompletionSource Reached)> _watchers = [];
    private int _free;
    private int _otherRunning;
    private int _waiting;

    public ChatHashCores(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        Slots = _free = slots;
        OtherSlots = Math.Max(1, slots - 1);
    }

    /// <summary>How many hashes run at once.</summary>
    public int Slots { get; }

    /// <summary>How many of them may be <see cref="ChatHashLane.Other"/> checks: all but one, at least one.</summary>
    public int OtherSlots { get; }

    /// <summary>Password checks waiting for a core now.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiting;
            }
        }
    }

    /// <summary>Waits for a core; dispose the result to pass the core on.</summary>
    public async Task<Slot> WaitAsync(string address, ChatHashLane lane, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_lock)
        {
            // Nobody of this lane waits when it may start: Dispatch hands every core it can out.
            if (MayStart(lane))
            {
                return Start(lane);
            }

            waiter = new Waiter(this);
            _lanes[(int)lane].Add(address, waiter);
            _waiting++;
            Notify();
        }

        using var registration = cancellationToken.Register(static state => ((Waiter)state!).Cancel(), waiter);
        return await waiter.Task;
    }

    /// <summary>Completes once at least <paramref name="count"/> checks are waiting (for tests).</summary>
    internal Task WhenWaitingAsync(int count)
    {
        lock (_lock)
        {
            if (_waiting >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _watchers.Add((count, reached));
            return reached.Task;
        }
    }

    private bool MayStart(ChatHashLane lane) => _free > 0 && (lane == ChatHashLane.Returning || _otherRunning < OtherSlots);

    private Slot Start(ChatHashLane lane)
    {
        _free--;
        if (lane == ChatHashLane.Other)
        {
            _otherRunning++;
        }

        return new Slot(this, lane);
    }

    private void Release(ChatHashLane lane)
    {
        lock (_lock)
        {
            _free++;
            if (lane == ChatHashLane.Other)
            {
                _otherRunning--;
            }

            Dispatch();
        }
    }

    /// <summary>Hands free cores to waiters, returning users first, as far as the lanes allow.</summary>
    private void Dispatch()
    {
        foreach (var lane in (ReadOnlySpan<ChatHashLane>)[ChatHashLane.Returning, ChatHashLane.Other])
        {
            while (MayStart(lane) && _lanes[(int)lane].Next() is { } waiter)
            {
                var slot = Start(lane);
                if (waiter.TrySetResult(slot))
                {
                    _waiting--;
                }
                else
                {
                    // Cancelled meanwhile: the core is still free.
                    Undo(lane);
                }
            }
        }
    }

    private void Undo(ChatHashLane lane)
    {
        _free++;
        if (lane == ChatHashLane.Other)
        {
            _otherRunning--;
        }
    }

    private void Cancelled(Waiter waiter)
    {
        lock (_lock)
        {
            // Left in its address's queue; Next skips it.
            if (waiter.TrySetCanceled())
            {
                _waiting--;
            }
        }
    }

    private void Notify()
    {
        for (var i = _watchers.Count - 1; i >= 0; i--)
        {
            if (_waiting >= _watchers[i].Count)
            {
                _watchers[i].Reached.TrySetResult();
                _watchers.RemoveAt(i);
            }
        }
    }

    /// <summary>A core, held until disposed.</summary>
    public sealed class Slot(ChatHashCores owner, ChatHashLane lane) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(lane);
            }
        }
    }

    private sealed class Waiter(ChatHashCores owner) : TaskCompletionSource<Slot>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public void Cancel() => owner.Cancelled(this);
    }

    /// <summary>One lane: a queue per address, and the addresses in the order their turn comes.</summary>
    private sealed class Lane
    {
        private readonly Dictionary<string, Queue<Waiter>> _byAddress = new(StringComparer.Ordinal);
        private readonly Queue<string> _turns = new();

        public void Add(string address, Waiter waiter)
        {
            if (!_byAddress.TryGetValue(address, out var waiters))
            {
                _byAddress[address] = waiters = new Queue<Waiter>();
                _turns.Enqueue(address);
            }

            waiters.Enqueue(waiter);
        }

        /// <summary>The next waiter (possibly one cancelled meanwhile): the oldest of the address whose turn it is.</summary>
        public Waiter? Next()
        {
            while (_turns.TryDequeue(out var address))
            {
                var waiters = _byAddress[address];
                var waiter = waiters.Dequeue();
                if (waiters.Count > 0)
                {
                    _turns.Enqueue(address);
                }
                else
                {
                    _byAddress.Remove(address);
                }

                return waiter;
            }

            return null;
        }
    }
}
