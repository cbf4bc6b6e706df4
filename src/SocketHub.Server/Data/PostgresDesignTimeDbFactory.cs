using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SocketHub.Server.Data;

/// <summary>
/// What <c>dotnet ef migrations add --context PostgresSocketHubDb</c> builds the model with. Adding
/// a migration needs no server: the connection string is never opened.
/// </summary>
internal sealed class PostgresDesignTimeDbFactory : IDesignTimeDbContextFactory<PostgresSocketHubDb>
{
    public PostgresSocketHubDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSocketHubDb>().UseNpgsql("Host=localhost;Database=sockethub_design_time").Options);
}
