using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Npgsql;
using SocketHub.Server.Data;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Postgres;

/// <summary>
/// PostgreSQL out of reach: at start, one line naming host, port and database (never the
/// password) and exit code 2; while running, /health/ready says 503 until it answers again.
/// The shared PostgreSQL server is never stopped: a test drops its own database, or points at a closed port.
/// </summary>
public sealed class PostgresAvailabilityTests
{
    private const string Password = "pw-not-for-the-log";

    [Fact]
    public async Task Ready_fails_with_503_naming_the_database_once_the_database_is_gone()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var server = await TestServer.StartAsync(database.Settings);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.OpsPort}") };
        using (var ready = await http.GetAsync("/health/ready", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("PostgreSQL answers", (await CheckAsync(ready)).GetProperty("description").GetString());
        }

        await database.DropAsync(); // ends the server's connections too

        using var response = await http.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var check = await CheckAsync(response);
        Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
        Assert.StartsWith("PostgreSQL does not answer", check.GetProperty("description").GetString(), StringComparison.Ordinal);

        using var live = await http.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task A_closed_port_at_start_stops_the_server_with_one_line_naming_host_port_and_database_and_exit_code_2()
    {
        using var data = new TempDirectory();
        var port = ClosedPort();
        var (exitCode, output) = await DotnetCommand.RunAsync(
            [
                Path.Combine(AppContext.BaseDirectory, "SocketHub.Server.dll"),
                .. ServerProcess.Arguments(data.Path, "Storage:Provider=Postgres", $"ConnectionStrings:SocketHub=Host=127.0.0.1;Port={port};Database=classroom;Username=teacher;Password={Password}"),
            ],
            data.Path,
            TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 2, $"Exit code {exitCode}. Output:\n{output}");
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("cannot be used", StringComparison.Ordinal));
        Assert.Contains($"PostgreSQL database 127.0.0.1:{port}/classroom", line, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:SocketHub", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_login_at_start_is_a_database_error_without_the_password()
    {
        var server = new NpgsqlConnectionStringBuilder(PostgresDatabase.Server()) { Database = "postgres", Password = Password };
        var error = await Assert.ThrowsAsync<DatabaseUnusableException>(() => TestServer.StartAsync(
            "Storage:Provider=Postgres", $"ConnectionStrings:SocketHub={server.ConnectionString}"));
        Assert.Contains($"PostgreSQL database {server.Host}:{server.Port}/postgres cannot be used", error.Message, StringComparison.Ordinal);
        Assert.Contains("28P01", error.Message, StringComparison.Ordinal); // password authentication failed
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> CheckAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return body.RootElement.GetProperty("checks").GetProperty("database").Clone();
    }

    /// <summary>A loopback port nothing listens on: one just given up by a listener of ours.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
