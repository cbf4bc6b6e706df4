namespace SocketHub.Protocol.Framing;

/// <summary>How a frame ends.</summary>
public enum FrameTerminator
{
    /// <summary><c>\r\n</c>, <c>\n</c> or a lone <c>\r</c> (telnet sends <c>\r\n</c> or <c>\r\0</c>, netcat <c>\n</c>).</summary>
    LineEnd,

    /// <summary>A single byte such as the board's <c>%</c>.</summary>
    Byte,
}

/// <summary>The unit a frame's maximum length is counted in.</summary>
public enum FrameLengthUnit
{
    Bytes,

    /// <summary>UTF-8 characters (bytes that do not continue a multi-byte sequence).</summary>
    Characters,
}

/// <summary>Describes one dialect's framing; immutable and shared by every connection of that dialect.</summary>
public sealed record FrameOptions
{
    public required FrameTerminator Terminator { get; init; }

    /// <summary>The terminating byte when <see cref="Terminator"/> is <see cref="FrameTerminator.Byte"/>.</summary>
    public byte TerminatorByte { get; init; }

    /// <summary>The most a frame may hold, terminator excluded, in <see cref="LengthUnit"/>.</summary>
    public required int MaxLength { get; init; }

    public FrameLengthUnit LengthUnit { get; init; } = FrameLengthUnit.Bytes;

    /// <summary>
    /// Optional tighter limit decided from the frame's first bytes (the board lets a <c>POST</c>
    /// carry 4000 characters of text after its keyword). It may never exceed <see cref="MaxLength"/>.
    /// </summary>
    public Func<ReadOnlySpan<byte>, int>? LimitFor { get; init; }

    /// <summary>
    /// Optional: says whether an unfinished frame is already whole without its terminator (the
    /// crypto dialect's original client sent <c>#en#hi#</c> with no line end). The decoder asks
    /// only once it has taken all the bytes of one <see cref="FrameDecoder.Decode"/> call (one
    /// read), so a frame whose bytes arrive together with their terminator is framed as usual.
    /// When it answers yes, the frame is returned, and a terminator that comes right after it
    /// (the line end the client may still send) is dropped instead of ending an empty frame.
    /// </summary>
    public Func<ReadOnlySpan<byte>, bool>? CompleteWithoutTerminator { get; init; }

    /// <summary>Skip space, tab, CR and LF before a frame starts (the board's rule).</summary>
    public bool SkipLeadingWhitespace { get; init; }

    /// <summary>The largest number of bytes a frame can occupy, which sizes the decoder's buffer.</summary>
    public int MaxBytes => LengthUnit == FrameLengthUnit.Characters ? checked(MaxLength * 4) : MaxLength;
}
