namespace SocketHub.Server.Hosting;

/// <summary>
/// How many accepted sockets may exist at once, the ones being refused included. The
/// <see cref="ConnectionCap"/> counts the connections it lets in; a refused connection also holds
/// a file descriptor from its accept until its close, and on a busy machine refusals can queue
/// faster than they are answered. Past the open-file limit the runtime itself fails (it aborted
/// with "Out of memory."), so past the ceiling each listener holds the one socket it has just
/// accepted until a place is free, and the clients after it queue in the kernel's backlog, which
/// costs the process nothing. Sockets open: at most the ceiling and one per listener.
/// </summary>
public sealed class AcceptCeiling : IDisposable
{
    /// <summary>Refusals that may be in hand at once beyond the cap, inside the open-file reserve
    /// (<see cref="OpenFileLimit.Reserve"/>), with the server's own growth after start.</summary>
    public const int RefusalsInFlight = 64;

    private readonly SemaphoreSlim _slots;
    private readonly TimeProvider _time;
    private long _lastReportedAt = long.MinValue;

    public AcceptCeiling(int limit, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
        _slots = new SemaphoreSlim(limit, limit);
        _time = time;
    }

    /// <summary>The ceiling for a connection cap: the cap and the refusals in flight.</summary>
    public static int For(int maxConnections) => maxConnections > int.MaxValue - RefusalsInFlight ? int.MaxValue : maxConnections + RefusalsInFlight;

    public int Limit { get; }

    /// <summary>Sockets accepted and not yet disposed.</summary>
    public int Open => Limit - _slots.CurrentCount;

    /// <summary>
    /// Takes a place for the next accept, waiting for one when all are taken. True when it had
    /// to wait and no wait has been reported for a while, so the caller logs it once.
    /// </summary>
    public async ValueTask<bool> TakeAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return false;
        }

        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastReportedAt);
        var report = (last == long.MinValue || _time.GetElapsedTime(last, now) >= ReportInterval)
            && Interlocked.CompareExchange(ref _lastReportedAt, now, last) == last;
        await _slots.WaitAsync(cancellationToken);
        return report;
    }

    public void Give() => _slots.Release();

    public void Dispose() => _slots.Dispose();

    private static TimeSpan ReportInterval { get; } = TimeSpan.FromSeconds(10);
}
