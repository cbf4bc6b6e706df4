namespace SocketHub.Server.Data;

/// <summary>A user name the history server generated with <c>new</c>; it works as a password.</summary>
public sealed class HistoryUser
{
    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The remote address that asked for it.</summary>
    public string? CreatedBy { get; set; }
}
