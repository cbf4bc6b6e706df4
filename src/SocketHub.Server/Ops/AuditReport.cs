using SocketHub.Server.Chat;
using SocketHub.Server.Crypto;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Ops;

/// <summary>What <c>GET /audit</c> answers (camelCase JSON).</summary>
public sealed record AuditReport(
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    IReadOnlyList<DialectAudit> Dialects,
    BoardAudit Board,
    HistoryAudit History,
    CryptoAudit Crypto,
    ChatRoomAudit Chat,
    IReadOnlyList<ActivityEvent> Recent,
    IReadOnlyList<TrafficMinute> LastHour);

/// <summary>One listener's connection and traffic counters.</summary>
public sealed record DialectAudit(
    string Name, int Port, long Open, long Total, long Requests, long Errors, long Rejected, long BytesIn, long BytesOut);

public sealed record BoardAudit(long Messages);

public sealed record HistoryAudit(long Lines);

public sealed record CryptoAudit(long Operations, long Failures, long Encrypted, long Decrypted, long KeysGiven);

public sealed record ChatRoomAudit(
    IReadOnlyList<string> Online,
    int Accounts,
    long Logins,
    long FailedLogins,
    IReadOnlyList<LockoutAudit> Lockouts,
    IReadOnlyList<ChatUserStatistics> Users);

public sealed record LockoutAudit(string User, DateTimeOffset Until);

/// <summary>
/// Gathers the figures /audit shows from the live counters every part keeps; the metrics
/// instruments read the same objects (<see cref="AuditMetrics"/>), so both always agree.
/// Nothing here touches the database.
/// </summary>
public sealed class AuditReportBuilder(
    ServerStats stats,
    ListenerRegistry listeners,
    StoredCounts counts,
    CryptoStats crypto,
    ChatAudit chat,
    ActivityFeed activity,
    TrafficHistory traffic,
    TimeProvider time)
{
    public AuditReport Build()
    {
        var now = time.GetUtcNow();
        var byName = stats.Dialects.ToDictionary(d => d.Dialect.Name);
        var dialects = listeners.Endpoints
            .Where(e => byName.ContainsKey(e.Name))
            .Select(e => byName[e.Name])
            .Select(d => new DialectAudit(d.Dialect.Name, d.Port, d.Open, d.Total, d.Requests, d.Errors, d.Rejected, d.BytesIn, d.BytesOut))
            .ToList();
        var room = chat.Snapshot();

        return new AuditReport(
            stats.StartedAt,
            Math.Round((now - stats.StartedAt).TotalSeconds, 1),
            dialects,
            new BoardAudit(counts.BoardMessages),
            new HistoryAudit(counts.HistoryLines),
            new CryptoAudit(crypto.Operations, crypto.Failures, crypto.Encrypted, crypto.Decrypted, crypto.KeysGiven),
            new ChatRoomAudit(
                room.OnlineUsers,
                room.Accounts,
                room.Logins,
                room.FailedLogins,
                room.LockoutsInForce.Select(l => new LockoutAudit(l.User, l.Until)).ToList(),
                room.Users),
            activity.Recent(),
            traffic.LastHour());
    }
}
