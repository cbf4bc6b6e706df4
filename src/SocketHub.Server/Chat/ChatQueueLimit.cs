using System.Text;
using SocketHub.Protocol.Chat;

namespace SocketHub.Server.Chat;

/// <summary>
/// How much may wait for one chat client before it is disconnected for not reading; one object
/// for every session, kept up to date by the room. Counted in bytes (an output costs its text in
/// UTF-8 plus <see cref="EntryBytes"/>), so a queue of long lines is cut off as soon as a queue
/// of short ones, for the same memory. A client is disconnected when more than
/// <c>Chat:OutgoingQueueBytes</c> waits for it and, beyond that, more outputs than one room
/// burst: flood control lets each user send <c>Chat:LineBurst</c> lines at once, so everyone in
/// the room speaking at once (plus one presence line each) is the most that can arrive for one
/// reader between two of its writes. A reader that takes what it is sent never holds more, in a
/// room of any size, however late the server's writers run; a reader that stopped holds more
/// after one more burst, or after the bytes limit in a small room. <c>Chat:OutgoingQueueLimit</c>,
/// when set, also caps the number of outputs, whatever the room.
/// </summary>
public sealed class ChatQueueLimit
{
    /// <summary>What an output costs beyond its text: the queue's entry, a JSON object's envelope.</summary>
    public const int EntryBytes = 64;

    /// <summary>The least <c>Chat:OutgoingQueueBytes</c> may be: a few of the longest lines the chat sends.</summary>
    public const long MinimumBytes = 4 * (ChatFraming.MaxReplyLineBytes + EntryBytes);

    private readonly int _linesPerUser;
    private int _burstLines;

    public ChatQueueLimit(ChatSettings settings)
    {
        Bytes = settings.OutgoingQueueBytes;
        Lines = settings.OutgoingQueueLimit ?? int.MaxValue;
        _linesPerUser = settings.LineBurst + 1;
        _burstLines = _linesPerUser;
    }

    /// <summary>Bytes that may wait for one client (<c>Chat:OutgoingQueueBytes</c>) before a room burst is what counts.</summary>
    public long Bytes { get; }

    /// <summary>Outputs that may wait for one client whatever the room (<c>Chat:OutgoingQueueLimit</c>; unset: no cap).</summary>
    public int Lines { get; }

    /// <summary>Outputs one room burst puts in a reader's queue: every user's line burst and one presence line.</summary>
    public int BurstLines => Volatile.Read(ref _burstLines);

    /// <summary>What <paramref name="output"/> costs in a queue.</summary>
    public static int Cost(ChatOutput output) => Encoding.UTF8.GetByteCount(output.Message) + EntryBytes;

    /// <summary>True when <paramref name="count"/> outputs of <paramref name="bytes"/> in all may wait for one client.</summary>
    public bool Allows(long bytes, int count) => count <= Lines && (bytes <= Bytes || count <= BurstLines);

    /// <summary>The room now has <paramref name="members"/> users: a burst from all of them must fit.</summary>
    public void RoomHas(int members) =>
        Volatile.Write(ref _burstLines, (int)Math.Min(int.MaxValue, (long)Math.Max(members, 1) * _linesPerUser));
}
