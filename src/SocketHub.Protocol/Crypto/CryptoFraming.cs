using SocketHub.Protocol.Framing;

namespace SocketHub.Protocol.Crypto;

/// <summary>
/// The crypto dialect's framing: a request ends with a line end, or without one when the bytes
/// received so far end with <c>#</c> and form a whole request (the original client sent no line
/// end). The line end that may follow such a request is dropped by the decoder.
/// </summary>
public static class CryptoFraming
{
    /// <summary>The largest text <c>#en#</c> encrypts, in UTF-8 bytes.</summary>
    public const int MaxTextBytes = 64 * 1024;

    /// <summary>The token of the largest text: every token <c>#en#</c> makes, <c>#de#</c> takes.</summary>
    public static readonly int MaxTokenChars = Fernet.TokenLength(MaxTextBytes);

    /// <summary>The largest request, line end excluded: <c>#de#</c>, the largest token, <c>#</c>.</summary>
    public static readonly int MaxRequestBytes = 4 + MaxTokenChars + 1;

    public static FrameOptions Options { get; } = new()
    {
        Terminator = FrameTerminator.LineEnd,
        MaxLength = MaxRequestBytes,
        CompleteWithoutTerminator = CryptoRequest.IsComplete,
    };
}
