using SocketHub.Protocol.Framing;

namespace SocketHub.Protocol.Board;

/// <summary>The board's framing: commands end with <c>%</c>, whitespace between commands is skipped.</summary>
public static class BoardFraming
{
    /// <summary>The longest text a command may carry after its keyword, in characters.</summary>
    public const int MaxTextLength = 4000;

    private const int KeywordLength = 4; // "POST"

    public static FrameOptions Options { get; } = new()
    {
        Terminator = FrameTerminator.Byte,
        TerminatorByte = (byte)'%',
        SkipLeadingWhitespace = true,
        LengthUnit = FrameLengthUnit.Characters,
        MaxLength = MaxTextLength + KeywordLength,
        LimitFor = LimitFor,
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
