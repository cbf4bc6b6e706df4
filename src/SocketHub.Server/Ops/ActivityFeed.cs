using SocketHub.Protocol.Text;

namespace SocketHub.Server.Ops;

/// <summary>One thing that happened, for the instructor's "recent activity" list.</summary>
public sealed record ActivityEvent(DateTimeOffset At, string Dialect, string Text);

/// <summary>
/// The last few notable events (chat logins and logouts, board posts, history operations,
/// connections turned away), newest last, for /audit and the instructor's page. Bounded, in memory
/// only. Never holds secrets: history user words and passwords are not recorded, and client text
/// is sanitized and shortened.
/// </summary>
public sealed class ActivityFeed(TimeProvider time)
{
    public const int Capacity = 100;

    private const int MaxTextLength = 120;

    private readonly Queue<ActivityEvent> _events = new(Capacity);
    private readonly Lock _lock = new();

    public void Add(string dialect, string text)
    {
        var entry = new ActivityEvent(time.GetUtcNow(), dialect, LogText.Sanitize(text, MaxTextLength));
        lock (_lock)
        {
            if (_events.Count == Capacity)
            {
                _events.Dequeue();
            }

            _events.Enqueue(entry);
        }
    }

    /// <summary>Up to <paramref name="count"/> newest events, oldest first.</summary>
    public IReadOnlyList<ActivityEvent> Recent(int count = Capacity)
    {
        lock (_lock)
        {
            return _events.Skip(Math.Max(0, _events.Count - count)).ToList();
        }
    }
}
