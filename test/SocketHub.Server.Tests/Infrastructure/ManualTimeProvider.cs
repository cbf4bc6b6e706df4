namespace SocketHub.Server.Tests.Infrastructure;

/// <summary>A clock that moves only when a test says so (timestamps only, no timers).</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private long _ticks = DateTimeOffset.UnixEpoch.AddYears(56).UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    /// <summary>The zone <see cref="TimeProvider.GetLocalNow"/> converts to; the machine's unless a test sets one.</summary>
    public TimeZoneInfo Zone { get; set; } = TimeZoneInfo.Local;

    public override TimeZoneInfo LocalTimeZone => Zone;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
