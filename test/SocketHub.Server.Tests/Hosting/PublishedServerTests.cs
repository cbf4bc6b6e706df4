using System.Net;
using SocketHub.Server.Hosting;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Hosting;

/// <summary>
/// Publishes the server as the Dockerfile does, once for the class, into a temporary folder
/// that stands in for the image's /app.
/// </summary>
public sealed class PublishedServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan PublishDeadline = TimeSpan.FromMinutes(4);

    public string Folder { get; } = TestServer.NewDataDirectory();

    public string Dll => Path.Combine(Folder, "SocketHub.Server.dll");

    public string Output { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        // The Dockerfile's publish line. The solution is already restored and built by now, so no
        // restore (it would rewrite obj/ under running tests); no build servers, which would outlive
        // the command and keep its output pipe open.
        var (exitCode, output) = await DotnetCommand.RunAsync(
            [
                "publish", Path.Combine("src", "SocketHub.Server", "SocketHub.Server.csproj"),
                "-c", "Release", "--no-restore", "-p:UseAppHost=false", "-p:LinuxContainerRuntimesOnly=true", "--disable-build-servers",
                "-o", Folder,
            ],
            ContainerFiles.RepositoryRoot,
            PublishDeadline,
            // Set by the dotnet test that started us; the publish finds its own.
            new Dictionary<string, string?> { ["MSBuildExtensionsPath"] = null, ["MSBuildSDKsPath"] = null, ["MSBUILD_EXE_PATH"] = null });
        Output = output;
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish exited with {exitCode}:\n{output}");
        }
    }

    public ValueTask DisposeAsync()
    {
        TestServer.TryDelete(Folder);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The published server run the way the container runs it: <c>dotnet SocketHub.Server.dll</c>
/// with no arguments, configured only by the environment the runtime image, the Dockerfile's ENV
/// lines and docker-compose.yml's <c>environment:</c> give it (every port moved to 0, the data
/// folder to a temporary one); its HEALTHCHECK command; and docker stop's SIGTERM.
/// </summary>
public sealed class PublishedServerTests(PublishedServerFixture published, ITestOutputHelper output)
    : IClassFixture<PublishedServerFixture>
{
    private const string AuditToken = "published-server-test-token";

    private static readonly string[] PortVariables =
        ["Board__Port", "History__Port", "Crypto__Port", "Chat__Port", "Chat__JsonPort", "Chat__SecurePort", "Ops__Port"];

    [Fact]
    public void Publish_output_has_what_the_image_runs_including_sqlite_for_both_linux_architectures()
    {
        foreach (var file in new[]
        {
            "SocketHub.Server.dll",
            "SocketHub.Server.runtimeconfig.json",
            "SocketHub.Server.deps.json",
            "SocketHub.Protocol.dll",
            "appsettings.json",
            Path.Combine("runtimes", "linux-x64", "native", "libe_sqlite3.so"),
            Path.Combine("runtimes", "linux-arm64", "native", "libe_sqlite3.so"),
        })
        {
            Assert.True(File.Exists(Path.Combine(published.Folder, file)), $"{file} is missing from the publish output:\n{published.Output}");
        }

        // Nothing for the platforms the image never runs on.
        Assert.Equal(["linux-arm64", "linux-x64"], Directory.GetDirectories(Path.Combine(published.Folder, "runtimes")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Runs_on_the_container_environment_answers_its_healthcheck_and_stops_cleanly_on_sigterm()
    {
        using var data = new TempDirectory();
        var environment = ContainerEnvironment(data.Path);
        Assert.Equal("0.0.0.0", environment["Listen__Address"]);
        Assert.Equal(AuditToken, environment["Ops__AuditToken"]);

        await using var server = await ServerProcess.StartDllAsync(published.Dll, published.Folder, environment);

        // The runtime image's ASPNETCORE_HTTP_PORTS=8080 is cleared by the Dockerfile.
        Assert.DoesNotContain("Overriding address", server.Output, StringComparison.Ordinal);

        using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.OpsPort}") })
        using (var ready = await http.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        var board = await TcpTestClient.ConnectAsync(server.BoardPort);
        await using (board)
        {
            await board.SendAsync("POSTfrom the published build%GET1%");
            Assert.Equal("MSGPosting Message!%MSG[(2, 'from the published build')]%", await board.ReadRepliesAsync(2));
        }

        // The HEALTHCHECK command, with the container's environment (where the ops port is fixed).
        var probe = HealthcheckEnvironment(environment, server.OpsPort);
        var (healthy, healthyOutput) = await RunHealthcheckAsync(probe);
        output.WriteLine(healthyOutput);
        Assert.True(healthy == 0, $"healthcheck exited {healthy}:\n{healthyOutput}");
        Assert.Contains($"http://127.0.0.1:{server.OpsPort}/health/ready: 200", healthyOutput, StringComparison.Ordinal);

        // Data and logs go to Storage__DataDirectory, the container's /data volume.
        Assert.True(File.Exists(Path.Combine(data.Path, "sockethub.db")), "no sockethub.db in the data folder");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(data.Path, "logs"), "sockethub-*.log"));

        // docker stop: SIGTERM, then SIGKILL once the compose file's grace period is over.
        server.Terminate();
        var exitCode = await server.WaitForExitAsync(ContainerFiles.ComposeStopGracePeriod());
        output.WriteLine(server.Output);
        Assert.True(exitCode == 0, $"exit code {exitCode} after SIGTERM:\n{server.Output}");
        Assert.Contains("SocketHub stopping", server.Output, StringComparison.Ordinal);

        // With nothing listening, the same probe reports unhealthy.
        var (unhealthy, unhealthyOutput) = await RunHealthcheckAsync(probe);
        Assert.True(unhealthy == 1, $"healthcheck exited {unhealthy} with the server stopped:\n{unhealthyOutput}");
    }

    /// <summary>
    /// The runtime image's own variable, then the Dockerfile's ENV, then the compose file's
    /// environment (with AUDIT_TOKEN from a stand-in .env), then the test's overrides: free ports
    /// and a temporary data folder.
    /// </summary>
    private static Dictionary<string, string?> ContainerEnvironment(string dataDirectory)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_HTTP_PORTS"] = "8080",
        };
        foreach (var (name, value) in ContainerFiles.DockerfileEnvironment())
        {
            environment[name] = value;
        }

        foreach (var (name, value) in ContainerFiles.ComposeEnvironment(new Dictionary<string, string> { ["AUDIT_TOKEN"] = AuditToken }))
        {
            environment[name] = value;
        }

        Assert.Equal("/data", environment["Storage__DataDirectory"]);
        environment["Storage__DataDirectory"] = dataDirectory;
        foreach (var port in PortVariables)
        {
            environment[port] = "0";
        }

        return environment;
    }

    private static Dictionary<string, string?> HealthcheckEnvironment(Dictionary<string, string?> server, int opsPort) =>
        new(server, StringComparer.Ordinal) { ["Ops__Port"] = opsPort.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>The compose file's healthcheck test, with the published dll in place of /app's.</summary>
    private async Task<(int ExitCode, string Output)> RunHealthcheckAsync(Dictionary<string, string?> environment)
    {
        var test = ContainerFiles.ComposeHealthcheckTest();
        Assert.Equal(["CMD", "dotnet", "/app/SocketHub.Server.dll", "healthcheck"], test);
        return await DotnetCommand.RunAsync(
            [published.Dll, .. test.Skip(3)],
            published.Folder,
            TimeSpan.FromSeconds(30),
            environment);
    }
}
