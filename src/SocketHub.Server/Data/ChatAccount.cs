namespace SocketHub.Server.Data;

/// <summary>A chat account with its statistics (kept for the instructor's /audit).</summary>
public sealed class ChatAccount
{
    /// <summary>Case-sensitive, 1-32 of <c>A-Z a-z 0-9 _ . -</c>.</summary>
    public required string Username { get; set; }

    /// <summary>ASP.NET Core Identity's PBKDF2 format, which records its own iteration count.</summary>
    public required string PasswordHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public long Logons { get; set; }

    public long Logoffs { get; set; }

    public long MessagesSent { get; set; }

    public long BroadcastsSent { get; set; }

    public long FailedLogins { get; set; }

    public DateTimeOffset? LastLoginAt { get; set; }

    public string? LastLoginAddress { get; set; }
}

/// <summary><see cref="Blocker"/> receives nothing from <see cref="Blocked"/>.</summary>
public sealed class ChatBlock
{
    public required string Blocker { get; set; }

    public required string Blocked { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A message for a user who was offline, delivered (and deleted) at their next login.</summary>
public sealed class ChatOfflineMessage
{
    public long Id { get; set; }

    public required string Recipient { get; set; }

    public required string Sender { get; set; }

    public required string Text { get; set; }

    public DateTimeOffset SentAt { get; set; }
}
