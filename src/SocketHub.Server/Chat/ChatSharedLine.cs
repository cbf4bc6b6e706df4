using System.Buffers;
using SocketHub.Protocol.Chat;

namespace SocketHub.Server.Chat;

/// <summary>
/// An event the room queues for many sessions at once (a broadcast, a presence line), with the
/// text port's bytes for it encoded once, when the room sends it, instead of once per recipient:
/// every text session's writer copies the same bytes. The other ports write the event as usual
/// (the JSON port encodes a room-wide event once by itself, the secure chat encrypts per recipient).
/// </summary>
public sealed class ChatSharedLine
{
    public ChatSharedLine(ChatOutput output)
    {
        Output = output;
        var text = new ArrayBufferWriter<byte>(output.Message.Length + 16);
        ChatTextFormat.Write(output, text);
        Text = text.WrittenSpan.ToArray();
        Cost = Text.Length + ChatQueueLimit.EntryBytes;
    }

    public ChatOutput Output { get; }

    /// <summary>The event as the text port writes it (<see cref="ChatTextFormat"/>).</summary>
    public byte[] Text { get; }

    /// <summary>What the event costs in a session's queue (see <see cref="ChatQueueLimit"/>).</summary>
    public int Cost { get; }
}
