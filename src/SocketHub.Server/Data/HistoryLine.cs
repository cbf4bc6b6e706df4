namespace SocketHub.Server.Data;

/// <summary>
/// One line of the history server's log. Line numbers are positions in id order, so they are
/// computed, not stored: deleting line 3 makes the old line 4 the new line 3, as in the original file.
/// </summary>
public sealed class HistoryLine
{
    public long Id { get; set; }

    /// <summary>The line exactly as the history shows it.</summary>
    public required string Text { get; set; }

    public DateTimeOffset LoggedAt { get; set; }
}
