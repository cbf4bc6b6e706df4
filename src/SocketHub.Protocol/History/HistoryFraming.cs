using SocketHub.Protocol.Framing;

namespace SocketHub.Protocol.History;

/// <summary>
/// The history's framing: one request line (any line end) of at most 2048 bytes, the size of
/// the original server's single <c>recv(2048)</c>. Leading blank space is not skipped: an
/// empty line is an (empty) request, answered like any other.
/// </summary>
public static class HistoryFraming
{
    public const int MaxRequestBytes = 2048;

    public static FrameOptions Options { get; } = new()
    {
        Terminator = FrameTerminator.LineEnd,
        LengthUnit = FrameLengthUnit.Bytes,
        MaxLength = MaxRequestBytes,
    };
}
