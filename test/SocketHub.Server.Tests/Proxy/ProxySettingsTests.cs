using System.Net;
using Microsoft.Extensions.Configuration;
using SocketHub.Server.Hosting;
using SocketHub.Server.Hosting.Proxy;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Proxy;

/// <summary><c>Listen:TrustedProxies</c> and <c>Listen:ProxyHeaderTimeoutSeconds</c>: what is accepted, and the start error for anything else.</summary>
public sealed class ProxySettingsTests
{
    [Theory]
    [InlineData("10.0.0.11", "10.0.0.11/32")]
    [InlineData("10.0.0.0/24", "10.0.0.0/24")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("fd00::5", "fd00::5/128")]
    [InlineData("fd00::/8", "fd00::/8")]
    [InlineData("::ffff:10.0.0.11", "10.0.0.11/32")]
    public void An_address_or_network_is_an_entry(string entry, string network)
    {
        Assert.True(TrustedProxies.TryParseEntry(entry, out var parsed, out var problem), problem);
        Assert.Equal(network, parsed.ToString());
    }

    [Theory]
    [InlineData("10.0.0.300", "not an IP address")]
    [InlineData("10.0.0", "not an IP address")]
    [InlineData("10.1", "not an IP address")]
    [InlineData("haproxy.local", "not an IP address")]
    [InlineData("fe80::1%eth0", "not an IP address")]
    [InlineData("10.0.0.0/33", "from 0 to 32")]
    [InlineData("fd00::/129", "from 0 to 128")]
    [InlineData("10.0.0.0/", "from 0 to 32")]
    [InlineData("10.0.0.0/-1", "from 0 to 32")]
    [InlineData("10.0.0.0/24/1", "from 0 to 32")]
    [InlineData("10.0.0.1/24", "write the network as 10.0.0.0/24")]
    public void Anything_else_is_refused_saying_why(string entry, string why)
    {
        Assert.False(TrustedProxies.TryParseEntry(entry, out _, out var problem));
        Assert.Contains($"'{entry}'", problem, StringComparison.Ordinal);
        Assert.Contains(why, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_network_trusts_its_addresses_and_no_others_ipv4_mapped_folded()
    {
        Assert.True(TrustedProxies.TryParseEntry("10.0.0.0/24", out var v4, out _));
        Assert.True(TrustedProxies.TryParseEntry("fd00::5", out var v6, out _));
        var trusted = new TrustedProxies([v4, v6]);

        Assert.True(trusted.Contains(IPAddress.Parse("10.0.0.11")));
        Assert.True(trusted.Contains(IPAddress.Parse("::ffff:10.0.0.200")));
        Assert.True(trusted.Contains(IPAddress.Parse("fd00::5")));
        Assert.False(trusted.Contains(IPAddress.Parse("10.0.1.11")));
        Assert.False(trusted.Contains(IPAddress.Parse("fd00::6")));
        Assert.False(TrustedProxies.None.Contains(IPAddress.Loopback));
    }

    [Theory]
    [InlineData("Listen:TrustedProxies=10.0.0.11,10.0.0.300", "Listen:TrustedProxies: '10.0.0.300'")]
    [InlineData("Listen:TrustedProxies:1=10.0.0.1/8", "Listen:TrustedProxies:1: '10.0.0.1/8'")]
    [InlineData("Listen:ProxyHeaderTimeoutSeconds=0", "Listen:ProxyHeaderTimeoutSeconds")]
    [InlineData("Listen:ProxyHeaderTimeoutSeconds=soon", "Listen:ProxyHeaderTimeoutSeconds")]
    public async Task A_bad_entry_stops_the_start_naming_it(string setting, string named)
    {
        using var data = new TempDirectory();
        var error = await Assert.ThrowsAsync<InvalidSettingsException>(() => TestServer.StartInAsync(data.Path, "Listen:TrustedProxies:0=127.0.0.1", setting));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_entry_exits_with_code_2_like_the_other_start_errors()
    {
        using var data = new TempDirectory();
        var (exitCode, output) = await DotnetCommand.RunAsync(
            [Path.Combine(AppContext.BaseDirectory, "SocketHub.Server.dll"), .. ServerProcess.Arguments(data.Path, "Listen:TrustedProxies=10.0.0.0/33")],
            data.Path,
            TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 2, $"Exit code {exitCode}. Output:\n{output}");
        Assert.Contains("Listen:TrustedProxies: '10.0.0.0/33'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_come_from_a_list_a_comma_separated_value_or_both()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Listen:TrustedProxies"] = "10.0.0.11, 10.0.0.12",
            ["Listen:TrustedProxies:0"] = "fd00::/8",
        }).Build();
        var problems = new List<string>();

        var settings = ProxyProtocolSettings.Load(configuration, new SettingsCheck(problems));

        Assert.Empty(problems);
        Assert.Equal(["10.0.0.11/32", "10.0.0.12/32", "fd00::/8"], settings.Trusted.Networks.Select(n => n.ToString()));
        Assert.Equal(TimeSpan.FromSeconds(5), settings.HeaderTimeout);
    }

    [Fact]
    public void Unset_the_feature_is_off()
    {
        var settings = ProxyProtocolSettings.Load(new ConfigurationBuilder().Build(), new SettingsCheck([]));
        Assert.False(settings.Enabled);
    }
}
