using Npgsql;
using Xunit;

namespace SocketHub.Server.Tests.Postgres;

/// <summary>
/// A fresh, empty PostgreSQL database for one test, dropped when the test is done, so tests run
/// in parallel on one PostgreSQL server without seeing each other's rows. The server comes from
/// <c>SOCKETHUB_TEST_POSTGRES</c>, a connection string for a login that may create databases
/// (.ci/run starts a local cluster and sets it); without it the test is skipped.
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    public const string Variable = "SOCKETHUB_TEST_POSTGRES";

    private readonly string _server;

    private PostgresDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>The database's connection string, password included (for the server under test only).</summary>
    public string ConnectionString { get; }

    /// <summary>The server settings that put its storage into this database.</summary>
    public string[] Settings => ["Storage:Provider=Postgres", $"ConnectionStrings:SocketHub={ConnectionString}"];

    /// <summary>The PostgreSQL server to test against, or a skipped test when none is configured.</summary>
    public static string Server()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        Assert.SkipWhen(
            string.IsNullOrWhiteSpace(server),
            $"{Variable} is not set: it names a PostgreSQL server for these tests, e.g. 'Host=127.0.0.1;Username=sockethub_test;Password=...' for a login with CREATEDB (.ci/run sets it).");
        return server!;
    }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var database = new PostgresDatabase(Server(), "sockethub_test_" + Guid.NewGuid().ToString("n"));
        await database.RunAsync($"CREATE DATABASE \"{database.Name}\"");
        return database;
    }

    /// <summary>Runs <paramref name="sql"/> in this database and returns the first column of the first row.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Drops the database while servers may still hold connections to it (they are ended).</summary>
    public Task DropAsync() => RunAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");

    public ValueTask DisposeAsync() => new(DropAsync());

    /// <summary>Runs a statement on the server's maintenance database (CREATE/DROP DATABASE cannot run inside the target).</summary>
    private async Task RunAsync(string sql)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(_server) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(maintenance);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
