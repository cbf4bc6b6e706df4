using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Data;

public static class DatabaseSetup
{
    public const string FileName = "sockethub.db";

    /// <summary>
    /// Registers the database <paramref name="storage"/> chooses behind a context factory: every
    /// store asks for <see cref="IDbContextFactory{TContext}"/> of <see cref="SocketHubDb"/>, whichever it is.
    /// </summary>
    public static IServiceCollection AddSocketHubDatabase(this IServiceCollection services, StorageSettings storage) =>
        storage.Provider == StorageProvider.Postgres
            ? services.AddPostgresDatabase(storage.Postgres ?? throw new InvalidOperationException("Storage:Provider is Postgres but the settings loader read no connection string."))
            : services.AddSqliteDatabase(storage.DataDirectory);

    /// <summary>The SQLite database in the data folder.</summary>
    private static IServiceCollection AddSqliteDatabase(this IServiceCollection services, string dataDirectory)
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
            .ConfigureWarnings(QuietConnectionErrors));
        return services;
    }

    /// <summary>
    /// The PostgreSQL database of <paramref name="target"/>, through <see cref="PostgresSocketHubDb"/>
    /// and its migrations. No retrying execution strategy: the history writer runs its own
    /// transactions, which EF Core cannot retry, and a failed write is reported to its client
    /// (never acknowledged) as with SQLite. PostgreSQL's default synchronous_commit=on makes a
    /// commit durable (WAL flushed) before it returns, which is when a client is told "stored".
    /// </summary>
    private static IServiceCollection AddPostgresDatabase(this IServiceCollection services, PostgresTarget target)
    {
        services.AddSingleton(target);
        services.AddDbContextFactory<PostgresSocketHubDb>(options => options
            .UseNpgsql(target.ConnectionString)
            .ConfigureWarnings(QuietConnectionErrors));
        services.AddSingleton<IDbContextFactory<SocketHubDb>>(provider =>
            new DerivedContextFactory<PostgresSocketHubDb>(provider.GetRequiredService<IDbContextFactory<PostgresSocketHubDb>>()));
        return services;
    }

    // Whoever sees the exception logs it with what was being done (or, at start, reports the
    // unusable database in one line); EF's own line would say it twice.
    private static void QuietConnectionErrors(WarningsConfigurationBuilder warnings) =>
        warnings.Log((RelationalEventId.ConnectionError, LogLevel.Debug));

    /// <summary>The files SQLite keeps beside the database in WAL mode.</summary>
    public static IReadOnlyList<string> CompanionSuffixes { get; } = ["-wal", "-shm"];

    /// <summary>Creates or upgrades the database before any listener opens.</summary>
    public static Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default) =>
        services.GetService<PostgresTarget>() is { } postgres
            ? MigratePostgresAsync(services, postgres, cancellationToken)
            : MigrateSqliteAsync(services, cancellationToken);

    /// <summary>
    /// Creates or upgrades the SQLite file. The file is made (or made again) owner-only first:
    /// SQLite gives the <c>-wal</c> and <c>-shm</c> files it creates the database file's mode, so they follow.
    /// </summary>
    private static async Task MigrateSqliteAsync(IServiceProvider services, CancellationToken cancellationToken)
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

    /// <summary>
    /// Upgrades the PostgreSQL database (which the operator creates, empty, with its owner: the
    /// server's login needs no right to create databases). Servers sharing it may start together:
    /// EF Core's migrator (since EF Core 9) holds a lock in the database while it migrates, so one
    /// applies the migrations and the others find them applied. A database that cannot be reached
    /// stops the start with one line naming host, port and database (exit code 2) rather than a
    /// retry loop: the server has nothing to serve without it, a wrong password or database name
    /// would never heal by waiting, and the orchestrator's restart policy (or the operator)
    /// decides when to try again.
    /// </summary>
    private static async Task MigratePostgresAsync(IServiceProvider services, PostgresTarget target, CancellationToken cancellationToken)
    {
        DatabaseLog.UsingPostgres(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseSetup).FullName!), target.Description);
        try
        {
            var factory = services.GetRequiredService<IDbContextFactory<PostgresSocketHubDb>>();
            await using var db = await factory.CreateDbContextAsync(cancellationToken);

            // The provider does not look for the history table before reading it, and EF Core logs
            // the failed read of an empty database as an error; made first, the table is there.
            await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw DatabaseUnusableException.Postgres(target, e.Message, e);
        }
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
