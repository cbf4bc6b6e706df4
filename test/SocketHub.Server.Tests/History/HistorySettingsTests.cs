using SocketHub.Server.Hosting;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.History;

public sealed class HistorySettingsTests
{
    [Theory]
    [InlineData("History:Port=70000", "History:Port")]
    [InlineData("History:Port=x", "History:Port")]
    [InlineData("History:MaxLines=0", "History:MaxLines")]
    [InlineData("History:RequestsPerSecond=0", "History:RequestsPerSecond")]
    [InlineData("History:RequestBurst=0", "History:RequestBurst")]
    [InlineData("History:RequestTimeoutSeconds=0", "History:RequestTimeoutSeconds")]
    [InlineData("History:RepositoryUrl= ", "History:RepositoryUrl")]
    [InlineData("History:Users:0=two words", "History:Users:0")]
    [InlineData("History:Users:0=new", "History:Users:0")]
    public async Task Bad_setting_stops_the_server_with_a_message_naming_the_key(string setting, string key)
    {
        using var data = new TempDirectory();
        var error = await Assert.ThrowsAsync<InvalidSettingsException>(() => TestServer.StartInAsync(data.Path, setting));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_port_may_not_share_the_boards()
    {
        using var data = new TempDirectory();
        var error = await Assert.ThrowsAsync<InvalidSettingsException>(() => TestServer.StartInAsync(data.Path, "Board:Port=15007", "History:Port=15007"));
        Assert.Contains("Board:Port and History:Port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Defaults_come_from_appsettings()
    {
        await using var server = await TestServer.StartAsync();
        var settings = (SocketHub.Server.History.HistorySettings)server.App.Services.GetService(typeof(SocketHub.Server.History.HistorySettings))!;
        Assert.Empty(settings.Users);
        Assert.Equal(1000, settings.MaxLines);
        Assert.Equal(10, settings.RequestsPerSecond);
        Assert.Equal(20, settings.RequestBurst);
        Assert.Equal(10, settings.RequestTimeoutSeconds);
        Assert.Equal(SocketHub.Server.History.HistorySettings.PlaceholderRepositoryUrl, settings.RepositoryUrl);
    }
}
