namespace SocketHub.Server.Data;

/// <summary>
/// One public line of the chat room (a broadcast), kept for <c>Chat:HistoryOnJoin</c>: a user
/// who joins is sent the last few. Private messages and presence lines are never stored here.
/// </summary>
public sealed class ChatRoomLine
{
    /// <summary>Assigned by the database in insertion order, which is the order the room sent the lines.</summary>
    public long Id { get; set; }

    public required string Sender { get; set; }

    public required string Text { get; set; }

    public DateTimeOffset At { get; set; }
}
