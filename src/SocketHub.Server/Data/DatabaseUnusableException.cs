namespace SocketHub.Server.Data;

/// <summary>
/// The database cannot be used (a file that is not a database, damaged, or in a folder the server
/// cannot write; a PostgreSQL server that cannot be reached or refuses the login): the start stops
/// with this one-line message and exit code 2, like a bad setting, instead of crashing (which
/// under <c>restart: unless-stopped</c> would loop with a stack trace each time).
/// </summary>
public sealed class DatabaseUnusableException : Exception
{
    /// <summary>The SQLite file <paramref name="file"/> cannot be used.</summary>
    public DatabaseUnusableException(string file, string problem, Exception? inner = null)
        : base($"The database {file} cannot be used: {problem}. Stop the server and restore the data folder from a backup (see the README, 'Data and logs'), or move the file away to start with an empty database; a read-only folder needs write access for the server.", inner)
    {
    }

    private DatabaseUnusableException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The PostgreSQL database <paramref name="target"/> names cannot be used (named by host, port and database only, never by its password).</summary>
    public static DatabaseUnusableException Postgres(PostgresTarget target, string problem, Exception inner) =>
        new($"The PostgreSQL database {target.Description} cannot be used: {problem.TrimEnd('.')}. Check {PostgresTarget.ConnectionStringKey} (host, port, database, username, password) and that PostgreSQL is running and accepts connections from this machine; the server does not start without its database.", inner);
}
