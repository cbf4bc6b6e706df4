using System.Collections.Immutable;
using SocketHub.Protocol.Chat;
using SocketHub.Server.Data;

namespace SocketHub.Server.Chat;

/// <summary>
/// The room's recent public lines for <see cref="ChatSettings.HistoryOnJoin"/>: a user who joins
/// is sent the last few, oldest first, as the same <see cref="ChatSharedLine"/> a live broadcast
/// queues, so every port writes them exactly as it writes a live line from that sender.
/// <para>
/// Join order. While the log is on, a broadcast appends its line here and fans it out in one step
/// under <see cref="Gate"/>, and a join takes the replay and becomes visible to broadcasts in one
/// step under the same gate (<see cref="ChatRoom.TryEnter"/>). So each line is either in the
/// joiner's replay or delivered to it live, never both and never neither, and the replay comes
/// before any live line. The replay is taken from this tail, which holds the lines the room has
/// sent whether or not their commit has finished: on a single node the live delivery does not wait
/// for the commit (the database is for restarts), so reading only what is committed would miss a
/// line sent just before the join. The tail is filled from the database at start.
/// With the cluster's chat a line is stored first and each node keeps the lines it delivers, in id
/// order (<see cref="ChatRoom.Deliver"/>), so a join on any node replays what that node delivered.
/// </para>
/// The gate serialises broadcasts while the log is on (their fan-out only enqueues). Off, the room
/// never touches this class: no lock, nothing stored.
/// </summary>
public sealed class ChatRoomLog(ChatSettings settings, ChatRoomLogWriter writer, TimeProvider time)
{
    private readonly Queue<ChatSharedLine> _tail = new(settings.HistoryOnJoin + 1);
    private readonly int _size = settings.HistoryOnJoin;

    /// <summary>True when <see cref="ChatSettings.HistoryOnJoin"/> is above 0.</summary>
    public bool Enabled => _size > 0;

    /// <summary>Held across a broadcast's append and fan-out, and across a join's replay and entry.</summary>
    internal Lock Gate { get; } = new();

    /// <summary>Fills the tail from the database, before the listeners open.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        var stored = await writer.LoadAsync(_size, cancellationToken);
        lock (Gate)
        {
            foreach (var line in stored)
            {
                Keep(new ChatSharedLine(ChatEvent.Broadcast(line.Sender, line.Text)));
            }
        }
    }

    /// <summary>Stores the lines still queued; when the host stops, after the listeners.</summary>
    public ValueTask StopAsync() => writer.DisposeAsync();

    /// <summary>Keeps a broadcast for the next joins and queues it to be stored. Under <see cref="Gate"/>.</summary>
    internal void Append(ChatSharedLine line)
    {
        Keep(line);
        var output = (ChatEvent)line.Output;

        // Not awaited: the room goes on at once (see the class summary); the writer logs a failure.
        _ = writer.AppendAsync(new ChatRoomLine { Sender = output.Sender!, Text = output.Text!, At = time.GetUtcNow() });
    }

    /// <summary>Queues the kept lines for a joining session, oldest first, but none from a sender it blocks. Under <see cref="Gate"/>.</summary>
    internal void Replay(ChatSession session, ImmutableHashSet<string>? blocks)
    {
        foreach (var line in _tail)
        {
            if (blocks?.Contains(((ChatEvent)line.Output).Sender!) != true)
            {
                session.TryEnqueue(line);
            }
        }
    }

    /// <summary>Keeps a line for the next joins. Under <see cref="Gate"/>.</summary>
    internal void Keep(ChatSharedLine line)
    {
        _tail.Enqueue(line);
        if (_tail.Count > _size)
        {
            _tail.Dequeue();
        }
    }
}
