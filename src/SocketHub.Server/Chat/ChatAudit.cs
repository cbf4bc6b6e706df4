namespace SocketHub.Server.Chat;

/// <summary>The chat as /audit shows it.</summary>
public sealed record ChatAuditSnapshot(
    IReadOnlyList<string> OnlineUsers,
    int Accounts,
    long Logins,
    long FailedLogins,
    IReadOnlyList<(string User, DateTimeOffset Until)> LockoutsInForce,
    IReadOnlyList<ChatUserStatistics> Users);

/// <summary>Read-only view of the chat for the instructor's /audit endpoint.</summary>
public sealed class ChatAudit(ChatRoom room, ChatAccounts accounts, ChatLockouts lockouts)
{
    public ChatAuditSnapshot Snapshot()
    {
        var users = accounts.AllStatistics();
        return new ChatAuditSnapshot(
            room.OnlineUsers(),
            accounts.Count,
            users.Sum(u => u.Logons),
            users.Sum(u => u.FailedLogins),
            lockouts.InForce(),
            users);
    }

    public ChatUserStatistics? User(string user) => accounts.Statistics(user);
}
