using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SocketHub.Server.Data;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Ops;

/// <summary>
/// Ready only while the database answers a query: with PostgreSQL, a server that is down, a
/// database that is gone or a login that is refused all make /health/ready say 503.
/// </summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<SocketHubDb> contexts, ServerSettings settings) : IHealthCheck
{
    private readonly string _database = settings.Storage.Provider == StorageProvider.Postgres ? "PostgreSQL" : "SQLite";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var messages = await db.BoardMessages.LongCountAsync(cancellationToken);
            return HealthCheckResult.Healthy(_database + " answers", new Dictionary<string, object> { ["boardMessages"] = messages });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy(_database + " does not answer: " + e.Message);
        }
    }
}
