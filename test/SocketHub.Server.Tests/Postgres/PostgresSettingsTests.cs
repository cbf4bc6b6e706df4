using Microsoft.EntityFrameworkCore;
using SocketHub.Server.Data;
using SocketHub.Server.Hosting;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Postgres;

/// <summary>
/// Storage:Provider and ConnectionStrings:SocketHub are checked at start like every setting (no
/// PostgreSQL needed), and the PostgreSQL migrations cover the model.
/// </summary>
public sealed class PostgresSettingsTests
{
    [Theory]
    [InlineData(new[] { "Storage:Provider=Postgres" }, "ConnectionStrings:SocketHub must be set when Storage:Provider is Postgres")]
    [InlineData(new[] { "Storage:Provider=Postgres", "ConnectionStrings:SocketHub=Host=db;Username=u;Password=secret-value" }, "ConnectionStrings:SocketHub must name the database with Database=.")]
    [InlineData(new[] { "Storage:Provider=Postgres", "ConnectionStrings:SocketHub=Database=d;Password=secret-value" }, "ConnectionStrings:SocketHub must name the server with Host=.")]
    [InlineData(new[] { "Storage:Provider=Postgres", "ConnectionStrings:SocketHub=Hots=db;Password=secret-value" }, "ConnectionStrings:SocketHub is not a PostgreSQL connection string")]
    [InlineData(new[] { "Storage:Provider=Postgres", "ConnectionStrings:SocketHub=Host=db;Port=many;Password=secret-value" }, "ConnectionStrings:SocketHub is not a PostgreSQL connection string")]
    [InlineData(new[] { "Storage:Provider=MySql" }, "Storage:Provider")]
    [InlineData(new[] { "Storage:Provider=7" }, "Storage:Provider must be Sqlite or Postgres (got '7').")]
    public async Task A_bad_storage_setting_stops_the_start_naming_the_key_and_never_the_password(string[] settings, string expected)
    {
        var error = await Assert.ThrowsAsync<InvalidSettingsException>(() => TestServer.StartAsync(settings));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sqlite_stays_the_default_and_ignores_a_connection_string()
    {
        await using var server = await TestServer.StartAsync("ConnectionStrings:SocketHub=Host=nowhere.invalid;Database=d");
        Assert.True(File.Exists(Path.Combine(server.DataDirectory, DatabaseSetup.FileName)));
    }

    [Fact]
    public void The_model_matches_the_postgres_migrations_model_snapshot()
    {
        // As for SQLite (DatabaseUpgradeTests): a model change needs a migration for each provider.
        using var db = new PostgresSocketHubDb(new DbContextOptionsBuilder<PostgresSocketHubDb>().UseNpgsql("Host=localhost;Database=unused").Options);
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes no PostgreSQL migration covers: run 'dotnet ef migrations add <Name> --project src/SocketHub.Server --context PostgresSocketHubDb --output-dir Data/Migrations/Postgres'.");
    }
}
