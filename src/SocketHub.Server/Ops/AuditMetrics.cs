using System.Diagnostics.Metrics;
using SocketHub.Server.Chat;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Ops;

/// <summary>
/// The /audit figures that are not per-dialect counters, as instruments on the <c>SocketHub</c>
/// meter (the per-dialect ones are in <see cref="ServerStats"/>, crypto's in CryptoStats). They
/// observe the same objects /audit reads, so dotnet-counters and /audit never disagree.
/// </summary>
public sealed class AuditMetrics
{
    public AuditMetrics(IMeterFactory meterFactory, StoredCounts counts, ChatAudit chat, ServerStats stats, TimeProvider time)
    {
        var meter = meterFactory.Create(ServerStats.MeterName);
        meter.CreateObservableGauge("sockethub.uptime", () => (time.GetUtcNow() - stats.StartedAt).TotalSeconds, "s", "Time since the server started");
        meter.CreateObservableUpDownCounter("sockethub.board.messages", () => counts.BoardMessages, "{message}", "Messages on the board");
        meter.CreateObservableUpDownCounter("sockethub.history.lines", () => counts.HistoryLines, "{line}", "Lines in the history");
        meter.CreateObservableUpDownCounter("sockethub.chat.online", () => (long)chat.Snapshot().OnlineUsers.Count, "{user}", "Chat users online");
        meter.CreateObservableUpDownCounter("sockethub.chat.accounts", () => (long)chat.Snapshot().Accounts, "{account}", "Chat accounts");
        meter.CreateObservableCounter("sockethub.chat.logins", () => chat.Snapshot().Logins, "{login}", "Chat logins, all time");
        meter.CreateObservableCounter("sockethub.chat.failed_logins", () => chat.Snapshot().FailedLogins, "{login}", "Chat logins refused for a wrong password, all time");
        meter.CreateObservableUpDownCounter("sockethub.chat.lockouts", () => (long)chat.Snapshot().LockoutsInForce.Count, "{account}", "Chat accounts blocked now after failed logins");
    }
}
