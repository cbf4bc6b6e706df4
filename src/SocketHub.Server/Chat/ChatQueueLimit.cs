using System.Text;
using SocketHub.Protocol.Chat;

namespace SocketHub.Server.Chat;

/// <summary>
/// How much may wait for one chat client before it is disconnected for not reading; one object
/// for every session, kept up to date by the room. Counted in bytes (an output costs its text in
/// UTF-8 plus <see cref="EntryBytes"/>), so a queue of short lines and one of long lines hold
/// about the same memory. The limit is <c>Chat:OutgoingQueueBytes</c> or one room burst,
/// whichever is more. A room burst is what flood control lets every other user in the room send
/// at once (<c>Chat:LineBurst</c> lines each, each at most <see cref="LineBytes"/>): however the
/// server's writers are scheduled, a burst fits in the queue of a reader that takes what it is
/// sent, while a reader that stopped is disconnected once a burst's worth more is waiting.
/// <c>Chat:OutgoingQueueLimit</c>, when set, also caps the number of outputs.
/// </summary>
public sealed class ChatQueueLimit
{
    /// <summary>What an output costs beyond its text: the queue's entry, a JSON object's envelope.</summary>
    public const int EntryBytes = 64;

    /// <summary>The most one room line costs: a whole request line (1,024 bytes) with the sender's name and the event's words around it, and its entry.</summary>
    public const int LineBytes = 1024 + 64 + EntryBytes;

    /// <summary>The least <c>Chat:OutgoingQueueBytes</c> may be: a few of the longest lines.</summary>
    public const long MinimumBytes = 4 * LineBytes;

    private readonly long _floor;
    private readonly int _lineBurst;
    private long _bytes;

    public ChatQueueLimit(ChatSettings settings)
    {
        _floor = settings.OutgoingQueueBytes;
        _lineBurst = settings.LineBurst;
        _bytes = _floor;
        Lines = settings.OutgoingQueueLimit ?? int.MaxValue;
    }

    /// <summary>Bytes that may wait for one client now; one more output and it is disconnected.</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Outputs that may wait for one client (<c>Chat:OutgoingQueueLimit</c>; unset: no count).</summary>
    public int Lines { get; }

    /// <summary>What <paramref name="output"/> costs in a queue.</summary>
    public static int Cost(ChatOutput output) => Encoding.UTF8.GetByteCount(output.Message) + EntryBytes;

    /// <summary>The room now has <paramref name="members"/> users: a burst from all the others must fit.</summary>
    public void RoomHas(int members) =>
        Volatile.Write(ref _bytes, Math.Max(_floor, (long)Math.Max(members - 1, 0) * _lineBurst * LineBytes));
}
