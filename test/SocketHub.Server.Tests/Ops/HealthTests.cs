using System.Net;
using System.Text.Json;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Ops;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_answers_healthy_json()
    {
        await using var server = await TestServer.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.OpsPort}") };
        using var response = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_checks_the_database_and_every_listener()
    {
        await using var server = await TestServer.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.OpsPort}") };
        using var response = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        var listeners = checks.GetProperty("listeners");
        Assert.Equal("Healthy", listeners.GetProperty("status").GetString());
        Assert.Equal($"127.0.0.1:{server.BoardPort}", listeners.GetProperty("data").GetProperty("board").GetString());
    }

    [Fact]
    public async Task Ready_fails_with_503_naming_the_database_when_it_is_gone()
    {
        await using var server = await TestServer.StartAsync();
        // Replace the database file with a folder: SQLite can no longer open it.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(server.DataDirectory, "sockethub.db*"))
        {
            File.Delete(file);
        }

        Directory.CreateDirectory(Path.Combine(server.DataDirectory, "sockethub.db"));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.OpsPort}") };
        using var response = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());

        using var live = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
