using System.Text.Json.Serialization;
using SocketHub.Server.Hosting;
using SocketHub.Server.Hosting.Tls;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.Ops;

/// <summary>
/// What <c>GET /audit</c> answers (camelCase JSON): the shared figures, then each module's own
/// section at the top level (<c>"board": {...}</c>, <c>"chat": {...}</c>).
/// </summary>
public sealed record AuditReport(
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    IReadOnlyList<DialectAudit> Dialects,
    TlsCertificateInfo Tls,
    IReadOnlyList<FigureAudit> Figures,
    IReadOnlyList<ActivityEvent> Recent,
    IReadOnlyList<TrafficMinute> LastHour)
{
    /// <summary>Each module's section by its name, written as top-level properties.</summary>
    [JsonExtensionData]
    public Dictionary<string, object> Sections { get; init; } = [];
}

/// <summary>One dialect's ports (plain, and TLS or null) and its connection and traffic counters, both ports together.</summary>
public sealed record DialectAudit(
    string Name, int Port, int? TlsPort, long Open, long Total, long Requests, long Errors, long Rejected, long BytesIn, long BytesOut);

/// <summary>A module's figure for the instructor's page: the element id, its label and its value.</summary>
public sealed record FigureAudit(string Id, string Label, long Value);

/// <summary>
/// Gathers the figures /audit shows from the live counters every part keeps; the metrics
/// instruments read the same objects (<see cref="AuditMetrics"/>), so both always agree.
/// Nothing here touches the database.
/// </summary>
public sealed class AuditReportBuilder(
    IServiceProvider services,
    DialectModules modules,
    ServerStats stats,
    ListenerRegistry listeners,
    ActivityFeed activity,
    TrafficHistory traffic,
    TlsCertificates certificates,
    TimeProvider time)
{
    public AuditReport Build()
    {
        var now = time.GetUtcNow();
        var byName = stats.Dialects.ToDictionary(d => d.Dialect.Name);
        var dialects = listeners.Endpoints
            .Where(e => byName.ContainsKey(e.Name))
            .Select(e => byName[e.Name])
            .Select(d => new DialectAudit(d.Dialect.Name, d.Port, d.TlsPort, d.Open, d.Total, d.Requests, d.Errors, d.Rejected, d.BytesIn, d.BytesOut))
            .ToList();
        var figures = modules.Figures
            .Where(f => f.Label is not null)
            .Select(f => new FigureAudit(f.Id, f.Label!, f.Read(services)))
            .ToList();

        return new AuditReport(
            stats.StartedAt,
            Math.Round((now - stats.StartedAt).TotalSeconds, 1),
            dialects,
            certificates.Info,
            figures,
            activity.Recent(),
            traffic.LastHour())
        {
            Sections = Sections(),
        };
    }

    // Each module's section, and the cluster's when this node is one of several (the Redis backplane).
    private Dictionary<string, object> Sections()
    {
        var sections = modules.AuditSections.ToDictionary(s => s.Name, s => s.Build(services));
        if (services.GetService<Cluster.ClusterNodes>() is { } cluster)
        {
            sections["cluster"] = cluster.Audit();
        }

        return sections;
    }
}
