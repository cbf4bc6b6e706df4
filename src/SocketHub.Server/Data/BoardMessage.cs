namespace SocketHub.Server.Data;

/// <summary>One message on the board. The original kept only the text; we also keep when and from where.</summary>
public sealed class BoardMessage
{
    public long Id { get; set; }

    public required string Text { get; set; }

    public DateTimeOffset PostedAt { get; set; }

    /// <summary>The poster's remote address; null for the message the server writes itself.</summary>
    public string? Poster { get; set; }
}
