using Microsoft.Extensions.Diagnostics.HealthChecks;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Ops;

/// <summary>Ready only once the server has started and every listener holds a port.</summary>
internal sealed class ListenersHealthCheck(ListenerRegistry listeners) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var endpoints = listeners.Endpoints;
        var data = endpoints.ToDictionary(e => e.Name, e => (object)e.EndPoint.ToString());
        var unbound = endpoints.Where(e => e.EndPoint.Port == 0).Select(e => e.Name).ToList();
        return Task.FromResult(!listeners.IsStarted || unbound.Count > 0
            ? HealthCheckResult.Unhealthy(unbound.Count > 0 ? "Not bound: " + string.Join(", ", unbound) : "Server still starting", data: data)
            : HealthCheckResult.Healthy("All listeners bound", data));
    }
}
