using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SocketHub.Server.Data;

/// <summary>
/// What <c>dotnet ef migrations add --context SocketHubDb</c> builds the model with: the same
/// provider and model as the server, without starting it (no settings, data folder or listeners).
/// The tools never open the file. The <c>--context</c> argument chooses the provider: this is
/// SQLite's, <see cref="PostgresDesignTimeDbFactory"/> PostgreSQL's.
/// </summary>
internal sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<SocketHubDb>
{
    public SocketHubDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SocketHubDb>().UseSqlite("Data Source=design-time.db").Options);
}
