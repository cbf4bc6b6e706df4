using System.IO.Pipelines;
using System.Text;
using SocketHub.Protocol.Board;
using SocketHub.Protocol.Framing;
using SocketHub.Server.Hosting;
using Xunit;

namespace SocketHub.Server.Tests.Hosting;

/// <summary>The shared read loop over an in-memory pipe: no sockets, exact control of arrivals.</summary>
public sealed class FrameReaderTests
{
    private static readonly TimeSpan LongIdle = TimeSpan.FromMinutes(5);

    private static FrameReader Reader(Pipe pipe, FrameOptions framing, TimeSpan? idle = null, CancellationToken stopping = default) =>
        new(pipe.Reader, framing, idle ?? LongIdle, TimeProvider.System, stopping);

    [Fact]
    public async Task Last_frame_that_arrives_with_end_of_stream_is_returned_before_closed()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync("GET%POST"u8.ToArray());
        await pipe.Writer.CompleteAsync();
        using var reader = Reader(pipe, BoardFraming.Requests);

        Assert.Equal(ReadOutcome.Frame, await reader.ReadAsync());
        Assert.Equal("GET", Encoding.UTF8.GetString(reader.Frame.Span));
        Assert.Equal(ReadOutcome.Closed, await reader.ReadAsync());
        Assert.Equal("POST", Encoding.UTF8.GetString(reader.Pending.Span));
    }

    [Fact]
    public async Task Frames_of_one_packet_come_one_per_read_and_report_buffered_data()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync("a\nb\n"u8.ToArray());
        using var reader = Reader(pipe, new FrameOptions { Terminator = FrameTerminator.LineEnd, MaxLength = 100 });

        Assert.Equal(ReadOutcome.Frame, await reader.ReadAsync());
        Assert.True(reader.HasBufferedData);
        Assert.Equal(ReadOutcome.Frame, await reader.ReadAsync());
        Assert.Equal("b", Encoding.UTF8.GetString(reader.Frame.Span));
        Assert.False(reader.HasBufferedData);
    }

    [Fact]
    public async Task Over_long_frame_is_reported()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[11]);
        using var reader = Reader(pipe, new FrameOptions { Terminator = FrameTerminator.LineEnd, MaxLength = 10 });
        Assert.Equal(ReadOutcome.TooLong, await reader.ReadAsync());
    }

    [Fact]
    public async Task Silent_peer_times_out()
    {
        var pipe = new Pipe();
        using var reader = Reader(pipe, BoardFraming.Requests, TimeSpan.FromMilliseconds(50));
        Assert.Equal(ReadOutcome.TimedOut, await reader.ReadAsync());
    }

    [Fact]
    public async Task A_new_timeout_after_the_old_one_ran_out_unread_starts_afresh()
    {
        // The chat's login time can run out while the server is busy with the login (hashing the
        // password) and not reading; the welcome then sets the idle time, which must hold.
        var clock = new TimerClock();
        var pipe = new Pipe();
        using var reader = new FrameReader(pipe.Reader, BoardFraming.Requests, TimeSpan.FromSeconds(1), clock, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        reader.ResetIdleTimeout(LongIdle);

        await pipe.Writer.WriteAsync("GET%"u8.ToArray());
        Assert.Equal(ReadOutcome.Frame, await reader.ReadAsync());
        var next = reader.ReadAsync().AsTask();
        clock.Advance(LongIdle - TimeSpan.FromSeconds(1));
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(ReadOutcome.TimedOut, await next);
    }

    [Fact]
    public async Task Stopping_cancels_a_pending_read()
    {
        var pipe = new Pipe();
        using var stopping = new CancellationTokenSource();
        using var reader = Reader(pipe, BoardFraming.Requests, stopping: stopping.Token);
        var read = reader.ReadAsync().AsTask();
        Assert.False(read.IsCompleted);
        await stopping.CancelAsync();
        Assert.Equal(ReadOutcome.Stopping, await read);
    }

    [Fact]
    public async Task Frame_split_across_writes_is_joined()
    {
        var pipe = new Pipe();
        using var reader = Reader(pipe, BoardFraming.Requests);
        var read = reader.ReadAsync().AsTask();
        foreach (var piece in new[] { "PO", "ST", "h\u00e9", "%" })
        {
            await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(piece));
        }

        Assert.Equal(ReadOutcome.Frame, await read);
        Assert.Equal("POSThé", Encoding.UTF8.GetString(reader.Frame.Span));
    }

    [Theory]
    [InlineData("GET%", false, false)]
    [InlineData("GET%\n", true, false)]
    [InlineData("GET% \r\n\t", true, false)]
    [InlineData("GET%PO", false, true)]
    [InlineData("GET%\nPO", true, true)]
    [InlineData("POST a\nb%", true, false)]
    public async Task Notes_line_ends_and_whether_more_than_blank_space_waits(string sent, bool lineEnd, bool buffered)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(sent));
        using var reader = Reader(pipe, BoardFraming.Requests);

        Assert.Equal(ReadOutcome.Frame, await reader.ReadAsync());
        Assert.Equal(lineEnd, reader.LineEndSeen);
        Assert.Equal(buffered, reader.HasBufferedData);
    }

    [Fact]
    public async Task A_line_end_once_seen_stays_seen()
    {
        var pipe = new Pipe();
        using var reader = Reader(pipe, BoardFraming.Requests);
        await pipe.Writer.WriteAsync("\r\nGET%"u8.ToArray());
        Assert.Equal(ReadOutcome.Frame, await reader.ReadAsync());
        await pipe.Writer.WriteAsync("GET%"u8.ToArray());
        Assert.Equal(ReadOutcome.Frame, await reader.ReadAsync());
        Assert.True(reader.LineEndSeen);
    }

    [Fact]
    public async Task An_unfinished_frame_can_get_less_time_than_the_idle_timeout()
    {
        var pipe = new Pipe();
        using var reader = Reader(pipe, BoardFraming.Requests);
        var asked = 0;
        reader.UnfinishedFrameTimeout = () =>
        {
            asked++;
            return TimeSpan.FromMilliseconds(50);
        };
        await pipe.Writer.WriteAsync("PO"u8.ToArray());
        var read = reader.ReadAsync().AsTask();
        await pipe.Writer.WriteAsync("ST"u8.ToArray());

        // The idle timeout is 5 minutes: only the unfinished frame's time can end this read.
        Assert.Equal(ReadOutcome.TimedOut, await read.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal(1, asked);
    }

    [Fact]
    public async Task Without_an_unfinished_frame_the_short_time_is_not_asked_for()
    {
        var pipe = new Pipe();
        using var reader = Reader(pipe, BoardFraming.Requests);
        var asked = 0;
        reader.UnfinishedFrameTimeout = () =>
        {
            asked++;
            return null;
        };
        await pipe.Writer.WriteAsync("GET%\n"u8.ToArray());
        Assert.Equal(ReadOutcome.Frame, await reader.ReadAsync());
        var read = reader.ReadAsync().AsTask(); // takes the blank line end, then waits
        await pipe.Writer.WriteAsync("PO"u8.ToArray());
        await pipe.Writer.WriteAsync("ST%"u8.ToArray());
        Assert.Equal(ReadOutcome.Frame, await read);
        Assert.Equal("POST", Encoding.UTF8.GetString(reader.Frame.Span));
        Assert.True(asked <= 1);
    }

    /// <summary>A clock whose timers fire only when the test moves it.</summary>
    private sealed class TimerClock : TimeProvider
    {
        private readonly List<Timer> _timers = [];
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _now;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new Timer(this, callback, state);
            timer.Change(dueTime, period);
            _timers.Add(timer);
            return timer;
        }

        public void Advance(TimeSpan by)
        {
            _now += by.Ticks;
            foreach (var timer in _timers.ToList())
            {
                timer.FireIfDue(_now);
            }
        }

        private sealed class Timer(TimerClock clock, TimerCallback callback, object? state) : ITimer
        {
            private long? _due;

            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                _due = dueTime == Timeout.InfiniteTimeSpan ? null : clock._now + dueTime.Ticks;
                return true;
            }

            public void FireIfDue(long now)
            {
                if (_due is { } due && due <= now)
                {
                    _due = null;
                    callback(state);
                }
            }

            public void Dispose() => _due = null;

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
