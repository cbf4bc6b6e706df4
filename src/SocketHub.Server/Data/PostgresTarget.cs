using Npgsql;

namespace SocketHub.Server.Data;

/// <summary>
/// The PostgreSQL database <c>ConnectionStrings:SocketHub</c> names. Only <see cref="Description"/>
/// (host, port and database) is ever logged or shown: the connection string itself may hold a password.
/// </summary>
public sealed class PostgresTarget
{
    public const string ConnectionStringKey = "ConnectionStrings:SocketHub";

    private PostgresTarget(string connectionString, string host, int port, string database)
    {
        ConnectionString = connectionString;
        Host = host;
        Port = port;
        Database = database;
    }

    /// <summary>Secret: never log it.</summary>
    public string ConnectionString { get; }

    public string Host { get; }

    public int Port { get; }

    public string Database { get; }

    /// <summary>"host:port/database", for logs and start errors.</summary>
    public string Description => $"{Host}:{Port}/{Database}";

    /// <summary>The target, or null with a problem that names the setting (and nothing of its value but its keywords).</summary>
    public static PostgresTarget? Parse(string? connectionString, out string? problem)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            problem = $"{ConnectionStringKey} must be set when Storage:Provider is Postgres (e.g. Host=db;Database=sockethub;Username=sockethub;Password=...).";
            return null;
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The builder's messages name a keyword or a position, not a value, so no password ends up in the log.
            problem = $"{ConnectionStringKey} is not a PostgreSQL connection string: {e.Message}";
            return null;
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            problem = $"{ConnectionStringKey} must name the server with Host=.";
            return null;
        }

        if (string.IsNullOrWhiteSpace(builder.Database))
        {
            problem = $"{ConnectionStringKey} must name the database with Database=.";
            return null;
        }

        problem = null;
        return new PostgresTarget(connectionString, builder.Host, builder.Port, builder.Database);
    }
}
