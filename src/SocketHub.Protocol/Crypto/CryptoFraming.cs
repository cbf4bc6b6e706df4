using SocketHub.Protocol.Framing;

namespace SocketHub.Protocol.Crypto;

/// <summary>
/// The crypto dialect's framing, one way each. <see cref="Requests"/>: a request ends with a line
/// end, or without one when the bytes received so far end with <c>#</c> and form a whole request
/// (the original client sent no line end); the line end that may follow such a request is dropped
/// by the decoder. <see cref="Replies"/>: every reply ends with <c>\n</c>, and only there.
/// </summary>
public static class CryptoFraming
{
    /// <summary>The largest text <c>#en#</c> encrypts, in UTF-8 bytes.</summary>
    public const int MaxTextBytes = 64 * 1024;

    /// <summary>The token of the largest text: every token <c>#en#</c> makes, <c>#de#</c> takes.</summary>
    public static readonly int MaxTokenChars = Fernet.TokenLength(MaxTextBytes);

    /// <summary>The largest request, line end excluded: <c>#de#</c>, the largest token, <c>#</c>.</summary>
    public static readonly int MaxRequestBytes = 4 + MaxTokenChars + 1;

    /// <summary>
    /// The largest reply, <c>\n</c> excluded: <c>#en#</c>, the largest token, <c>#</c> (87,485
    /// bytes). The other replies are shorter: a <c>#de#</c> reply's text is smaller than the token
    /// that carried it (base64 and Fernet's header, padding and MAC only add), and <c>#gk#</c> and
    /// <c>#er#</c> replies are a key or a reason.
    /// </summary>
    public static readonly int MaxReplyBytes = 4 + MaxTokenChars + 1;

    /// <summary>What the server reads.</summary>
    public static FrameOptions Requests { get; } = new()
    {
        Terminator = FrameTerminator.LineEnd,
        MaxLength = MaxRequestBytes,
        CompleteWithoutTerminator = CryptoRequest.IsComplete,
    };

    /// <summary>
    /// What a client reads: a reply ends at <c>\n</c> and nowhere else. Not at a <c>#</c> that
    /// ends what has arrived so far, as a request may: a decrypted text holding <c>#</c> must not
    /// end early when the network cuts it there. Not at a lone <c>\r</c> either: a text made
    /// elsewhere may hold one, and it is kept, so a reader that joins a <c>#de#</c> reply's
    /// lines with <c>\n</c> gets the text back exactly.
    /// </summary>
    public static FrameOptions Replies { get; } = new()
    {
        Terminator = FrameTerminator.Byte,
        TerminatorByte = (byte)'\n',
        MaxLength = MaxReplyBytes,
    };
}
