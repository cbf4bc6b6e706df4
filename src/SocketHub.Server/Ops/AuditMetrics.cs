using System.Diagnostics.Metrics;
using SocketHub.Server.Hosting;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.Ops;

/// <summary>
/// The /audit figures that are not per-dialect counters, as instruments on the <c>SocketHub</c>
/// meter (the per-dialect ones are in <see cref="ServerStats"/>): the uptime, and each module's
/// figures that name an instrument. They observe the same objects /audit reads, so
/// dotnet-counters and /audit never disagree.
/// </summary>
public sealed class AuditMetrics
{
    public AuditMetrics(IMeterFactory meterFactory, IServiceProvider services, DialectModules modules, ServerStats stats, TimeProvider time)
    {
        var meter = meterFactory.Create(ServerStats.MeterName);
        meter.CreateObservableGauge("sockethub.uptime", () => (time.GetUtcNow() - stats.StartedAt).TotalSeconds, "s", "Time since the server started");
        foreach (var figure in modules.Figures.Where(f => f.Instrument is not null))
        {
            if (figure.Cumulative)
            {
                meter.CreateObservableCounter(figure.Instrument!, () => figure.Read(services), figure.Unit, figure.Description);
            }
            else
            {
                meter.CreateObservableUpDownCounter(figure.Instrument!, () => figure.Read(services), figure.Unit, figure.Description);
            }
        }
    }
}
