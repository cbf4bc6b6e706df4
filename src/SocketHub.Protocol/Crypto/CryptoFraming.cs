using SocketHub.Protocol.Framing;

namespace SocketHub.Protocol.Crypto;

/// <summary>
/// The crypto dialect's framing: a request ends with a line end, or without one when the bytes
/// received so far end with <c>#</c> and form a whole request (the original client sent no line
/// end). The line end that may follow such a request is dropped by the decoder.
/// </summary>
public static class CryptoFraming
{
    /// <summary>The largest request, line end excluded.</summary>
    public const int MaxRequestBytes = 64 * 1024;

    public static FrameOptions Options { get; } = new()
    {
        Terminator = FrameTerminator.LineEnd,
        MaxLength = MaxRequestBytes,
        CompleteWithoutTerminator = CryptoRequest.IsComplete,
    };
}
