using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Data;

public static class DatabaseSetup
{
    public const string FileName = "sockethub.db";

    /// <summary>Registers the SQLite database in the data folder behind a context factory.</summary>
    public static IServiceCollection AddSocketHubDatabase(this IServiceCollection services, string dataDirectory)
    {
        var guard = new DatabaseFileGuard(Path.Combine(dataDirectory, FileName));
        services.AddSingleton(guard);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = guard.File,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();

        services.AddDbContextFactory<SocketHubDb>(options => options
            .UseSqlite(connectionString)
            .AddInterceptors(new SqlitePragmas(guard))
            .ConfigureWarnings(w => w
                // Whoever sees the exception logs it with what was being done (or, at start,
                // reports the unusable database in one line); EF's own line would say it twice.
                .Log((RelationalEventId.ConnectionError, LogLevel.Debug))));
        return services;
    }

    /// <summary>The files SQLite keeps beside the database in WAL mode.</summary>
    public static IReadOnlyList<string> CompanionSuffixes { get; } = ["-wal", "-shm"];

    /// <summary>
    /// Creates or upgrades the database before any listener opens. The file is made (or made
    /// again) owner-only first: SQLite gives the <c>-wal</c> and <c>-shm</c> files it creates the
    /// database file's mode, so they follow.
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var file = services.GetRequiredService<DatabaseFileGuard>().File;
        OwnerOnlyFiles.CreateFile(file);
        foreach (var suffix in CompanionSuffixes)
        {
            OwnerOnlyFiles.RestrictFile(file + suffix);
        }

        var factory = services.GetRequiredService<IDbContextFactory<SocketHubDb>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);

        // A damaged page would otherwise surface only when a request reads it; every page is
        // checked once here (a classroom database takes milliseconds).
        var verdict = await db.Database.SqlQueryRaw<string>("PRAGMA quick_check(1)").ToListAsync(cancellationToken);
        if (verdict is not ["ok"])
        {
            throw new DatabaseUnusableException(db.Database.GetDbConnection().DataSource, $"it is damaged ({string.Join("; ", verdict)})");
        }

        WarnIfOthersMayAccess(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseSetup).FullName!), file);
    }

    /// <summary>One warning for each of the data folder and the database files that the server could not make owner-only.</summary>
    private static void WarnIfOthersMayAccess(ILogger logger, string file)
    {
        string[] paths = [Path.GetDirectoryName(file)!, file, .. CompanionSuffixes.Select(suffix => file + suffix)];
        foreach (var path in paths.Where(OwnerOnlyFiles.OthersMayAccess))
        {
            DatabaseLog.OthersMayAccess(logger, path, OwnerOnlyFiles.ModeText(path));
        }
    }
}
