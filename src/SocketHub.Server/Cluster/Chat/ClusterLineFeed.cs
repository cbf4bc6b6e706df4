using System.Threading.Channels;
using SocketHub.Server.Chat;

namespace SocketHub.Server.Cluster.Chat;

/// <summary>
/// Delivers the room's lines on this node in id order, each exactly once. Lines come from the
/// Redis channel as they are published, and from the database when the channel cannot be
/// trusted: a line whose id is not the next one (a gap: a line of another node not seen yet, or
/// lost with the channel), the channel coming back after Redis was away, and a poll (every
/// heartbeat while Redis answers, every <see cref="OutagePoll"/> while it does not). Because the
/// room log hands out ids in commit order (<see cref="ChatRoomLogWriter"/>), once line N is seen
/// every line below N is committed or never will be, so one read settles a gap; a line whose id
/// is not above the last delivered is a duplicate and dropped. One loop does all of it, so no
/// two deliveries race.
/// </summary>
public sealed partial class ClusterLineFeed
{
    /// <summary>How often the database is read while Redis does not answer.</summary>
    public static readonly TimeSpan OutagePoll = TimeSpan.FromMilliseconds(250);

    private const int Page = 500;

    private readonly ChatRoomLogWriter _store;
    private readonly ChatRoom _room;
    private readonly ILogger<ClusterLineFeed> _logger;

    // A published line, or null: read the database for whatever is after the last delivered.
    private readonly Channel<ClusterLine?> _inbox = Channel.CreateUnbounded<ClusterLine?>(new UnboundedChannelOptions { SingleReader = true });
    private long _last;
    private bool _failing;

    public ClusterLineFeed(ChatRoomLogWriter store, ChatRoom room, ILogger<ClusterLineFeed> logger)
    {
        _store = store;
        _room = room;
        _logger = logger;
    }

    /// <summary>The id of the last line delivered here.</summary>
    public long Last => Volatile.Read(ref _last);

    /// <summary>Starts after the newest stored line: lines from before the start are history, not news.</summary>
    public async Task StartAsync(CancellationToken cancellationToken) =>
        Volatile.Write(ref _last, await _store.NewestIdAsync(cancellationToken));

    /// <summary>A line as published; never blocks (the loop keeps up, and the channel is unbounded only between two reads).</summary>
    public void Published(ClusterLine line) => _inbox.Writer.TryWrite(line);

    /// <summary>Asks for a read of the database.</summary>
    public void CatchUp() => _inbox.Writer.TryWrite(null);

    public void Complete() => _inbox.Writer.TryComplete();

    /// <summary>The loop; ends when <see cref="Complete"/> is called.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await DeliverAllAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: the sessions have left already.
        }
    }

    private async Task DeliverAllAsync(CancellationToken stopping)
    {
        await foreach (var line in _inbox.Reader.ReadAllAsync(CancellationToken.None))
        {
            if (line is null)
            {
                await ReadStoredAsync(stopping);
                continue;
            }

            if (line.Id <= _last)
            {
                continue;
            }

            if (line.Id > _last + 1 && !await ReadStoredAsync(stopping))
            {
                // The database did not answer: the line waits there for the next read.
                continue;
            }

            if (line.Id > _last)
            {
                Deliver(line.Id, line.Sender, line.Text);
            }
        }
    }

    /// <summary>Delivers every stored line after the last delivered; false when the database did not answer.</summary>
    private async Task<bool> ReadStoredAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                var lines = await _store.LinesAfterAsync(_last, Page, stopping);
                foreach (var line in lines)
                {
                    Deliver(line.Id, line.Sender, line.Text);
                }

                if (lines.Count < Page)
                {
                    break;
                }
            }

            if (_failing)
            {
                _failing = false;
                CatchUpRestored(_logger, _last);
            }

            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            if (!_failing)
            {
                _failing = true;
                CatchUpFailed(_logger, e, _last);
            }

            return false;
        }
    }

    private void Deliver(long id, string sender, string text)
    {
        _room.Deliver(sender, text);
        Volatile.Write(ref _last, id);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the room's lines after {LastId} from the database failed; lines wait there until it answers")]
    private static partial void CatchUpFailed(ILogger logger, Exception exception, long lastId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The room's lines are read from the database again (after {LastId})")]
    private static partial void CatchUpRestored(ILogger logger, long lastId);
}
