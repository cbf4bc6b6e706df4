using Microsoft.Extensions.Configuration;
using SocketHub.Server.Cluster;
using SocketHub.Server.Hosting;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Cluster;

/// <summary><c>Chat:Backplane</c>, <c>ConnectionStrings:Redis</c> and <c>Cluster:*</c>: the defaults, and the start error for anything wrong.</summary>
public sealed class ClusterSettingsTests
{
    [Fact]
    public void Unset_the_node_is_alone_and_nothing_connects()
    {
        var (settings, problems) = Load();

        Assert.Empty(problems);
        Assert.Equal(Backplane.None, settings.Backplane);
        Assert.False(settings.Enabled);
        Assert.Null(settings.Redis);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Heartbeat);
        Assert.Equal(TimeSpan.FromSeconds(15), settings.NodeTtl);
        Assert.Equal(TimeSpan.FromSeconds(15), settings.SessionTtl);
        Assert.Equal(Environment.MachineName, settings.Address);
    }

    [Fact]
    public void The_default_node_id_is_the_host_name_and_a_random_suffix()
    {
        var first = Load().Settings.NodeId;
        var second = Load().Settings.NodeId;

        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(Environment.MachineName)}-[0-9a-f]{{6}}$", first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Redis_reads_the_connection_string_and_the_cluster_settings()
    {
        var (settings, problems) = Load(
            ("Chat:Backplane", "Redis"),
            ("ConnectionStrings:Redis", "redis-1:6380,password=hunter2"),
            ("Cluster:NodeId", "node-7"),
            ("Cluster:Address", "10.0.0.7"),
            ("Cluster:HeartbeatSeconds", "0.5"),
            ("Cluster:NodeTtlSeconds", "2"),
            ("Cluster:SessionTtlSeconds", "3"));

        Assert.Empty(problems);
        Assert.True(settings.Enabled);
        Assert.Equal("redis-1:6380", ClusterSettings.Describe(Assert.Single(settings.Redis!.EndPoints)));
        Assert.Equal("hunter2", settings.Redis.Password);
        Assert.False(settings.Redis.AbortOnConnectFail);
        Assert.Equal("node-7", settings.NodeId);
        Assert.Equal("10.0.0.7", settings.Address);
        Assert.Equal(TimeSpan.FromSeconds(0.5), settings.Heartbeat);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.NodeTtl);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.SessionTtl);
    }

    [Theory]
    [InlineData("Chat:Backplane", "kafka", "Chat:Backplane must be none or redis (got 'kafka')")]
    [InlineData("Cluster:HeartbeatSeconds", "soon", "Cluster:HeartbeatSeconds must be a number of seconds")]
    [InlineData("Cluster:NodeTtlSeconds", "0", "Cluster:NodeTtlSeconds must be a number of seconds")]
    [InlineData("Cluster:SessionTtlSeconds", "4", "Cluster:SessionTtlSeconds must be longer than Cluster:HeartbeatSeconds")]
    [InlineData("Cluster:NodeTtlSeconds", "5", "Cluster:NodeTtlSeconds must be longer than Cluster:HeartbeatSeconds")]
    [InlineData("Cluster:NodeId", "a:b", "Cluster:NodeId may not contain spaces or ':'")]
    public void A_wrong_value_is_a_problem_naming_its_key(string key, string value, string problem)
    {
        var (_, problems) = Load((key, value));
        Assert.Contains(problems, p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Redis_without_a_connection_string_is_a_problem()
    {
        var (_, problems) = Load(("Chat:Backplane", "redis"));
        Assert.Equal("ConnectionStrings:Redis must be set when Chat:Backplane is redis (for example localhost:6379).", Assert.Single(problems));
    }

    [Fact]
    public void A_connection_string_that_does_not_parse_is_a_problem_that_does_not_repeat_it()
    {
        var (_, problems) = Load(("Chat:Backplane", "redis"), ("ConnectionStrings:Redis", "localhost:6379,password=hunter2,colour=blue"));

        var problem = Assert.Single(problems);
        Assert.StartsWith("ConnectionStrings:Redis is not a Redis connection string", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_without_a_connection_string_exits_with_code_2_like_the_other_start_errors()
    {
        using var data = new TempDirectory();
        var (exitCode, output) = await DotnetCommand.RunAsync(
            [Path.Combine(AppContext.BaseDirectory, "SocketHub.Server.dll"), .. ServerProcess.Arguments(data.Path, "Chat:Backplane=redis")],
            data.Path,
            TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 2, $"Exit code {exitCode}. Output:\n{output}");
        Assert.Contains("ConnectionStrings:Redis must be set", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    private static (ClusterSettings Settings, List<string> Problems) Load(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value)))
            .Build();
        var problems = new List<string>();
        return (ClusterSettings.Load(configuration, new SettingsCheck(problems)), problems);
    }
}
