using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SocketHub.Server.Data;

/// <summary>
/// Per-connection SQLite settings, applied on every open. WAL lets readers work while the board
/// writer commits; synchronous=FULL makes a commit durable before its client is told "stored";
/// busy_timeout makes a writer wait for the lock instead of failing at once.
/// (journal_mode=WAL is stored in the file; it is set once at start.) Every use first asks the
/// <see cref="DatabaseFileGuard"/> whether the file is still the one opened at start.
/// </summary>
internal sealed class SqlitePragmas(DatabaseFileGuard guard) : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        guard.Check();
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        guard.Check();
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
