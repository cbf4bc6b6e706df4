using SocketHub.Protocol.Framing;

namespace SocketHub.Protocol.History;

/// <summary>
/// The history's framing. A request (<see cref="Requests"/>) is one line (any line end) of at
/// most 2048 bytes, the size of the original server's single <c>recv(2048)</c>. Leading blank
/// space is not skipped: an empty line is an (empty) request, answered like any other. A reply is
/// not a frame: it is everything the server sends before it closes the connection, at most
/// <see cref="MaxReplyBytes"/>.
/// </summary>
public static class HistoryFraming
{
    public const int MaxRequestBytes = 2048;

    /// <summary>The most lines operation 2 shows with the server's default <c>History:MaxLines</c>.</summary>
    public const int DefaultMaxLines = 1000;

    /// <summary>
    /// The most bytes one stored line takes in a reply, its line end included. Every line is made
    /// from one request (at most <see cref="MaxRequestBytes"/>) and holds its words at most twice
    /// (operation 1 logs the user as a key and in a value), in Python's repr, which writes any
    /// byte in at most 4 (<c>\x01</c>; a longer escape stands for a character of 2 to 4 bytes);
    /// then the address, the time and the dict's punctuation, well under 256 bytes.
    /// </summary>
    public const int MaxLineBytes = (2 * 4 * MaxRequestBytes) + 256;

    /// <summary>
    /// The longest reply: <see cref="DefaultMaxLines"/> lines at their longest, plus 64 KiB for the
    /// clone line (it holds the configured repository address), the operations text and the line
    /// that counts the lines left out; 16.7 MB in all. It bounds what a client holds for one
    /// reply, whatever the server sends. A server set to show more lines still fits unless they are
    /// long and full of escapes: an ordinary line is under 100 bytes.
    /// </summary>
    public const int MaxReplyBytes = (DefaultMaxLines * MaxLineBytes) + (64 * 1024);

    /// <summary>What the server reads.</summary>
    public static FrameOptions Requests { get; } = new()
    {
        Terminator = FrameTerminator.LineEnd,
        LengthUnit = FrameLengthUnit.Bytes,
        MaxLength = MaxRequestBytes,
    };
}
