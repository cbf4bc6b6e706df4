using System.Net;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Hosting;

/// <summary>
/// The database files deleted while the server runs: SQLite would go on writing to the deleted
/// file, acknowledging writes that a restart no longer finds. The server notices that the file
/// it opened is gone, stops acknowledging, and reports 503.
/// </summary>
public sealed class DatabaseFileGoneTests
{
    [Fact]
    public async Task Writes_after_the_files_were_deleted_are_refused_and_ready_says_503()
    {
        await using var server = await TestServer.StartAsync();
        await using (var board = await TcpTestClient.ConnectAsync(server.BoardPort))
        {
            await board.SendAsync("POSTbefore%");
            Assert.Equal("MSGPosting Message!%", await board.ReadRepliesAsync(1));
        }

        foreach (var file in Directory.GetFiles(server.DataDirectory, "sockethub.db*"))
        {
            File.Delete(file);
        }

        await using (var board = await TcpTestClient.ConnectAsync(server.BoardPort))
        {
            await board.SendAsync("POSTafter%");
            Assert.Equal("ERRMessage Not Stored%", await board.ReadRepliesAsync(1));
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.OpsPort}") };
        using var ready = await http.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("no longer", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
