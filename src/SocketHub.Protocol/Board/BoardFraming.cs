using SocketHub.Protocol.Framing;

namespace SocketHub.Protocol.Board;

/// <summary>
/// The board's framing, one way each: <see cref="Requests"/> for the commands a client sends,
/// <see cref="Replies"/> for what the server answers. Both end with <c>%</c>, but their limits
/// differ by three orders of magnitude: a command carries one message, a list reply up to a
/// hundred of them.
/// </summary>
public static class BoardFraming
{
    /// <summary>The longest text a command may carry after its keyword, in characters.</summary>
    public const int MaxTextLength = 4000;

    /// <summary>The most messages a <c>GET</c> lists with the server's default <c>Board:MaxListed</c>.</summary>
    public const int DefaultMaxListed = 100;

    /// <summary>
    /// The most bytes one listed message takes in a reply, <c>(id, 'text'), </c>: Python's repr
    /// writes a character it cannot print in at most 10 bytes (<c>\U000e0001</c>), so a text of
    /// <see cref="MaxTextLength"/> characters takes at most 40,000 bytes; then its two quotes,
    /// <c>(</c>, an id of at most 19 digits, <c>, </c>, <c>)</c> and the <c>, </c> before the next.
    /// </summary>
    public const int MaxListedMessageBytes = (MaxTextLength * 10) + 2 + 1 + 19 + 2 + 1 + 2;

    /// <summary>
    /// The longest reply, <c>%</c> excluded: <c>MSG[</c>, <see cref="DefaultMaxListed"/> messages
    /// at their longest and <c>]</c>, 4,002,705 bytes (3.8 MiB). It bounds what a client holds for
    /// one reply, whatever the server sends; the buffer grows only as far as a reply needs. A server
    /// set to list more than 100 still fits unless its messages are long and full of escapes: a
    /// 4,000-character plain message takes about 4 KB, so some 990 of them fit.
    /// </summary>
    public const int MaxReplyBytes = 4 + (DefaultMaxListed * MaxListedMessageBytes) + 1;

    private const int KeywordLength = 4; // "POST"

    /// <summary>What the server reads: commands end with <c>%</c>, whitespace between commands is skipped.</summary>
    public static FrameOptions Requests { get; } = new()
    {
        Terminator = FrameTerminator.Byte,
        TerminatorByte = (byte)'%',
        SkipLeadingWhitespace = true,
        LengthUnit = FrameLengthUnit.Characters,
        MaxLength = MaxTextLength + KeywordLength,
        LimitFor = LimitFor,
    };

    /// <summary>
    /// What a client reads: <c>MSG...%</c> or <c>ERR...%</c>, up to <see cref="MaxReplyBytes"/>.
    /// No reply holds a <c>%</c> of its own (a posted text cannot), so the first one ends it.
    /// </summary>
    public static FrameOptions Replies { get; } = new()
    {
        Terminator = FrameTerminator.Byte,
        TerminatorByte = (byte)'%',
        LengthUnit = FrameLengthUnit.Bytes,
        MaxLength = MaxReplyBytes,
    };

    /// <summary>
    /// A command may be 4000 characters long, and a POST may still carry 4000 characters of text
    /// after its keyword: the limit depends on the command's first bytes.
    /// </summary>
    private static int LimitFor(ReadOnlySpan<byte> command) =>
        command.StartsWith("POST"u8) ? MaxTextLength + KeywordLength
        : command.StartsWith("GET"u8) ? MaxTextLength + KeywordLength - 1
        : MaxTextLength;
}
