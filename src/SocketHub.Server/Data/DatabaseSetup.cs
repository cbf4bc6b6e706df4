using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace SocketHub.Server.Data;

public static class DatabaseSetup
{
    public const string FileName = "sockethub.db";

    /// <summary>Registers the SQLite database in the data folder behind a context factory.</summary>
    public static IServiceCollection AddSocketHubDatabase(this IServiceCollection services, string dataDirectory)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();

        services.AddDbContextFactory<SocketHubDb>(options => options
            .UseSqlite(connectionString)
            .AddInterceptors(new SqlitePragmas()));
        return services;
    }

    /// <summary>Creates or upgrades the database before any listener opens.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<SocketHubDb>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
