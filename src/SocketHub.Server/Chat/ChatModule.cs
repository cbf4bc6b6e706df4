using Microsoft.Extensions.DependencyInjection.Extensions;
using SocketHub.Server.Cluster;
using SocketHub.Server.Ops;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.Chat;

/// <summary>
/// The chat room: <c>Chat:*</c>, the room, accounts, lockouts and backlog, and two listeners on
/// the one room, text (telnet, netcat) and JSON (the COMP3331 messenger's protocol).
/// </summary>
public sealed class ChatModule : DialectModule
{
    public override string Name => ChatDialect.Text.Name;

    public override void Add(DialectModuleContext context)
    {
        var settings = context.Settings<ChatSettings>("Chat");
        var services = context.Services;
        services.AddSingleton<ChatRoom>();
        services.AddSingleton<ChatRoomLog>();
        services.AddSingleton<ChatRoomLogWriter>();
        services.AddSingleton<ChatAccounts>();
        services.AddSingleton<ChatPasswords>();
        services.AddSingleton<ChatLockouts>();
        services.AddSingleton<ChatAccountTurns>();
        services.AddSingleton<ChatLoginLimits>();
        services.AddSingleton<ChatBacklog>();
        services.AddSingleton<ChatLogin>();
        services.AddSingleton<ChatAdmission>();
        // One session per account on this node; the Redis backplane registered cluster-wide claims first (ClusterServices).
        services.TryAddSingleton<IChatSessionClaims, LocalChatSessionClaims>();
        services.AddSingleton<ChatCommands>();
        services.AddSingleton<ChatAudit>();
        services.AddSingleton<ChatFloodControl>();
        services.AddSingleton<ChatHandlerServices>();
        services.AddHostedService<ChatStartup>();

        context.Listen<ChatTextConnectionHandler>(ChatDialect.Text.Info, "Chat:Port", settings.Port, settings.TlsPort);
        context.Listen<ChatJsonConnectionHandler>(ChatDialect.Json.Info, "Chat:JsonPort", settings.JsonPort, settings.JsonTlsPort);

        context.Audit("chat", provider => Audit(provider.GetRequiredService<ChatAudit>().Snapshot()));
        Figure(context, "chat-accounts", "Chat accounts", "sockethub.chat.accounts", "{account}", "Chat accounts", room => room.Accounts);
        Figure(context, "chat-logins", "Chat logins", "sockethub.chat.logins", "{login}", "Chat logins, all time", room => room.Logins, cumulative: true);
        Figure(context, "chat-failed", "Failed chat logins", "sockethub.chat.failed_logins", "{login}",
            "Chat logins refused for a wrong password, all time", room => room.FailedLogins, cumulative: true);
        Figure(context, "chat-online", null, "sockethub.chat.online", "{user}", "Chat users online", room => room.OnlineUsers.Count);
        Figure(context, "chat-lockouts", null, "sockethub.chat.lockouts", "{account}",
            "Chat accounts blocked now after failed logins", room => room.LockoutsInForce.Count);
    }

    private static ChatRoomAudit Audit(ChatAuditSnapshot room) => new(
        room.OnlineUsers,
        room.Accounts,
        room.Logins,
        room.FailedLogins,
        room.LockoutsInForce.Select(l => new LockoutAudit(l.User, l.Until)).ToList(),
        room.Users);

    private static void Figure(
        DialectModuleContext context, string id, string? label, string instrument, string unit, string description,
        Func<ChatAuditSnapshot, long> read, bool cumulative = false) =>
        context.Figure(new DialectFigure(id, label, provider => read(provider.GetRequiredService<ChatAudit>().Snapshot()))
        {
            Instrument = instrument,
            Unit = unit,
            Description = description,
            Cumulative = cumulative,
        });
}

/// <summary>/audit's <c>chat</c> section.</summary>
public sealed record ChatRoomAudit(
    IReadOnlyList<string> Online,
    int Accounts,
    long Logins,
    long FailedLogins,
    IReadOnlyList<LockoutAudit> Lockouts,
    IReadOnlyList<ChatUserStatistics> Users);

public sealed record LockoutAudit(string User, DateTimeOffset Until);
