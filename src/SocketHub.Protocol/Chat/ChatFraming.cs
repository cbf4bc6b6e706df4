using SocketHub.Protocol.Framing;

namespace SocketHub.Protocol.Chat;

/// <summary>Both chat dialects read lines of at most 1024 bytes (any line end; telnet commands removed).</summary>
public static class ChatFraming
{
    public const int MaxLineBytes = 1024;

    public static FrameOptions Options { get; } = new()
    {
        Terminator = FrameTerminator.LineEnd,
        MaxLength = MaxLineBytes,
        LengthUnit = FrameLengthUnit.Bytes,
    };
}
