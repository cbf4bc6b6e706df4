using Microsoft.EntityFrameworkCore;

namespace SocketHub.Server.Data;

/// <summary>
/// <see cref="SocketHubDb"/> on PostgreSQL: the same model, with migrations of its own.
/// </summary>
/// <remarks>
/// EF Core keeps one migrations set per context type, and the SQL a migration holds is the
/// provider's (column types, identity columns, the seed row's INSERT), so two providers need two
/// sets. Of the two ways EF Core's documentation gives for that ("Migrations with Multiple
/// Providers"), this is the one with a derived context per provider: each migration and snapshot
/// names its context in <c>[DbContext(typeof(...))]</c>, and the migrator only applies those naming
/// the context it runs for. So the SQLite migrations keep their ids and their place
/// (Data/Migrations, <see cref="SocketHubDb"/>) and existing databases upgrade as before, while
/// the PostgreSQL set lives in Data/Migrations/Postgres for this type. The other way, one context
/// type with a migrations assembly per provider, would need a project per provider and a change
/// of the SQLite set's assembly. Every store keeps asking for
/// <see cref="IDbContextFactory{TContext}"/> of <see cref="SocketHubDb"/>; with PostgreSQL that
/// factory hands out this type (<see cref="DatabaseSetup"/>).
/// A new PostgreSQL migration: <c>dotnet ef migrations add &lt;Name&gt; --project src/SocketHub.Server
/// --context PostgresSocketHubDb --output-dir Data/Migrations/Postgres</c>.
/// </remarks>
public sealed class PostgresSocketHubDb(DbContextOptions<PostgresSocketHubDb> options) : SocketHubDb(options);
