using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Hosting;
using SocketHub.Server.Tests.Infrastructure;
using Xunit;

namespace SocketHub.Server.Tests.Hosting;

/// <summary>
/// The Dockerfile, docker-compose.yml and appsettings.json agree: every port the server listens
/// on by default is exposed by the image and published by compose, both run the same health
/// command, and compose waits longer than the server's own shutdown before it kills.
/// </summary>
public sealed class ContainerFilesTests
{
    [Fact]
    public void Every_default_port_is_exposed_by_the_image_and_published_by_compose()
    {
        var defaults = DefaultPorts();
        Assert.Equal(14, defaults.Count); // seven listeners, each with its TLS twin
        Assert.Equal(defaults, [.. ContainerFiles.DockerfileExposedPorts().Order()]);
        Assert.Equal(defaults, [.. ContainerFiles.ComposeContainerPorts().Order()]);
    }

    [Fact]
    public void Compose_and_the_image_run_the_same_healthcheck()
    {
        Assert.Equal(ContainerFiles.DockerfileHealthcheckCommand(), ContainerFiles.ComposeHealthcheckTest().Skip(1));
    }

    [Fact]
    public void Compose_waits_longer_than_the_server_takes_to_stop()
    {
        Assert.True(
            ContainerFiles.ComposeStopGracePeriod() > SocketHubHost.ShutdownTimeout,
            $"stop_grace_period {ContainerFiles.ComposeStopGracePeriod()} is not longer than the server's {SocketHubHost.ShutdownTimeout}");
    }

    [Fact]
    public void Compose_passes_the_audit_token_from_the_env_file()
    {
        var environment = ContainerFiles.ComposeEnvironment(new Dictionary<string, string> { ["AUDIT_TOKEN"] = "s3cret" });
        Assert.Equal("s3cret", environment["Ops__AuditToken"]);
        Assert.Equal("/data", environment["Storage__DataDirectory"]);
        Assert.Contains("AUDIT_TOKEN=", File.ReadAllLines(Path.Combine(ContainerFiles.RepositoryRoot, ".env.example")));
    }

    [Fact]
    public void Compose_passes_the_machines_name_for_the_tls_certificate_from_the_env_file()
    {
        var environment = ContainerFiles.ComposeEnvironment(new Dictionary<string, string> { ["TLS_NAME"] = "classroom.example.edu" });
        Assert.Equal("classroom.example.edu", environment["Tls__Names__0"]);
        Assert.Contains("TLS_NAME=", File.ReadAllLines(Path.Combine(ContainerFiles.RepositoryRoot, ".env.example")));
    }

    /// <summary>Every port the server binds with appsettings.json alone, as the server itself works them out (TLS twins included).</summary>
    private static List<int> DefaultPorts()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(ContainerFiles.RepositoryRoot, "src", "SocketHub.Server", "appsettings.json"))
            .Build();
        var (settings, modules) = SettingsLoader.Load(configuration, new ServiceCollection());
        return [.. SettingsLoader.Ports(settings, modules).Select(p => p.Port).Order()];
    }
}
