using SocketHub.Server.Data;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Hosting;

/// <summary>
/// A database the server cannot use stops the start with one line naming the file and what to
/// do, and exit code 2 like the other start errors: no crash, so no restart loop under compose.
/// </summary>
public sealed class BadDatabaseTests
{
    [Fact]
    public async Task A_garbage_database_file_exits_with_code_2_and_one_line_naming_the_file()
    {
        using var data = new TempDirectory();
        var file = Path.Combine(data.Path, DatabaseSetup.FileName);
        await File.WriteAllBytesAsync(file, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7))], TestContext.Current.CancellationToken);

        var (exitCode, output) = await DotnetCommand.RunAsync(
            [Path.Combine(AppContext.BaseDirectory, "SocketHub.Server.dll"), .. ServerProcess.Arguments(data.Path)],
            data.Path,
            TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 2, $"Exit code {exitCode}. Output:\n{output}");
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains(file, StringComparison.Ordinal));
        Assert.Contains("backup", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_with_a_damaged_page_is_found_at_start()
    {
        using var data = new TempDirectory();
        await using (var server = await TestServer.StartInAsync(data.Path, "Board:PostBurst=1000"))
        {
            await using var board = await TcpTestClient.ConnectAsync(server.BoardPort);
            for (var i = 0; i < 200; i++)
            {
                await board.SendAsync($"POST{new string('x', 500)}{i}%\n");
                Assert.Equal("MSGPosting Message!%", await board.ReadRepliesAsync(1));
            }
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var file = Path.Combine(data.Path, DatabaseSetup.FileName);
        await using (var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite))
        {
            // A page in the middle of the board's messages, overwritten.
            stream.Position = stream.Length / 2 / 4096 * 4096;
            await stream.WriteAsync(Enumerable.Repeat((byte)0xA5, 4096).ToArray(), TestContext.Current.CancellationToken);
        }

        var error = await Assert.ThrowsAsync<DatabaseUnusableException>(() => TestServer.StartInAsync(data.Path));
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }
}
