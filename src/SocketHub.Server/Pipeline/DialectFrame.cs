using SocketHub.Protocol.Text;

namespace SocketHub.Server.Pipeline;

/// <summary>
/// One request's bytes as the framing delivered them, valid until the next read. The text is
/// decoded here, once, strictly: a frame that is not UTF-8 has no text, and each dialect decides
/// what that means (an error reply, or a request logged as such).
/// </summary>
public readonly struct DialectFrame(ReadOnlyMemory<byte> bytes, bool atEnd)
{
    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    /// <summary>True for the unfinished frame the client left when it closed (no terminator came).</summary>
    public bool AtEnd { get; } = atEnd;

    public bool IsEmpty => Bytes.IsEmpty;

    /// <summary>The frame as text; false when it is not valid UTF-8.</summary>
    public bool TryGetText(out string text) => StrictUtf8.TryDecode(Bytes.Span, out text);
}
