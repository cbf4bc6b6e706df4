using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SocketHub.Server.Data;

namespace SocketHub.Server.Ops;

/// <summary>Ready only while the database answers a query.</summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<SocketHubDb> contexts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var messages = await db.BoardMessages.LongCountAsync(cancellationToken);
            return HealthCheckResult.Healthy("SQLite answers", new Dictionary<string, object> { ["boardMessages"] = messages });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("SQLite does not answer: " + e.Message);
        }
    }
}
