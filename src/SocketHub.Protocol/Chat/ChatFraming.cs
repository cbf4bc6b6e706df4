using SocketHub.Protocol.Framing;

namespace SocketHub.Protocol.Chat;

/// <summary>
/// The chat dialects' framing, one way each. The text port reads lines of at most 1024 bytes
/// (<see cref="Requests"/>: any line end; telnet commands removed) and sends lines
/// (<see cref="Replies"/>). The JSON port's objects are split by <see cref="JsonObjectDecoder"/>:
/// its requests may be <see cref="ChatJsonRequest.MaxRequestBytes"/> long, what it sends
/// <see cref="MaxJsonReplyBytes"/>.
/// </summary>
public static class ChatFraming
{
    public const int MaxLineBytes = 1024;

    /// <summary>
    /// The longest line the text port sends, line end excluded. The longest are relayed messages:
    /// a text typed on any chat port (the JSON port's requests carry the most, at most
    /// <see cref="ChatJsonRequest.MaxRequestBytes"/> bytes) after the sender's name and a few
    /// words (<c>bob (broadcast): </c>), which <see cref="MaxLineBytes"/> more leaves ample room for.
    /// </summary>
    public const int MaxReplyLineBytes = ChatJsonRequest.MaxRequestBytes + MaxLineBytes;

    /// <summary>
    /// The longest object the JSON port sends, its line end included. The server keeps each object
    /// within <see cref="ChatJsonFormat.MaxObjectBytes"/> (its original client's <c>recv(1024)</c>)
    /// by cutting longer texts and lists into parts; only a part that cannot be cut (one line of a
    /// list) may run over, so four times that leaves wide room.
    /// </summary>
    public const int MaxJsonReplyBytes = 4 * ChatJsonFormat.MaxObjectBytes;

    /// <summary>What the text port reads.</summary>
    public static FrameOptions Requests { get; } = new()
    {
        Terminator = FrameTerminator.LineEnd,
        MaxLength = MaxLineBytes,
        LengthUnit = FrameLengthUnit.Bytes,
    };

    /// <summary>
    /// What a client of the text port reads: lines ending in <c>\n</c>. A prompt
    /// (<c>Username: </c>) has no line end and so runs into the line after it.
    /// </summary>
    public static FrameOptions Replies { get; } = new()
    {
        Terminator = FrameTerminator.LineEnd,
        MaxLength = MaxReplyLineBytes,
        LengthUnit = FrameLengthUnit.Bytes,
    };
}
