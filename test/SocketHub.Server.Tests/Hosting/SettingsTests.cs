using SocketHub.Server.Hosting;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Hosting;

public sealed class SettingsTests
{
    [Theory]
    [InlineData("Board:Port=70000", "Board:Port")]
    [InlineData("Board:Port=abc", "Board:Port")]
    [InlineData("Ops:Port=-1", "Ops:Port")]
    [InlineData("Listen:Address=not-an-ip", "Listen:Address")]
    [InlineData("Board:MaxListed=0", "Board:MaxListed")]
    [InlineData("Board:IdleTimeoutSeconds=0", "Board:IdleTimeoutSeconds")]
    [InlineData("Board:PostBurst=0", "Board:PostBurst")]
    [InlineData("Limits:ConnectionsPerAddress=0", "Limits:ConnectionsPerAddress")]
    public async Task Bad_setting_stops_the_server_with_a_message_naming_the_key(string setting, string key)
    {
        using var data = new TempDirectory();
        var error = await Assert.ThrowsAsync<InvalidSettingsException>(() => TestServer.StartInAsync(data.Path, setting));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_listeners_on_one_port_are_refused_naming_both_keys()
    {
        using var data = new TempDirectory();
        var error = await Assert.ThrowsAsync<InvalidSettingsException>(() => TestServer.StartInAsync(data.Path, "Board:Port=18080", "Ops:Port=18080"));
        Assert.Contains("Ops:Port and Board:Port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Port_held_by_another_program_is_reported_with_its_key()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        using var data = new TempDirectory();
        var error = await Assert.ThrowsAsync<PortInUseException>(() => TestServer.StartInAsync(data.Path, $"Board:Port={port}"));
        Assert.Contains($"Board:Port ({port})", error.Message, StringComparison.Ordinal);
    }
}
