using System.Runtime.Versioning;
using SocketHub.Server.Data;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Hosting;

/// <summary>
/// The data folder, the database with its WAL files and the logs are the server's user's alone
/// (0700 folders, 0600 files), whether the server makes them or an earlier version left them open.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class FileModesTests
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Everyone = Owner | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode EveryoneFolder = Folder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Information, so that the start writes the log file.</summary>
    private const string Logging = "Serilog:MinimumLevel:Default=Information";

    private static void AssertOwnerOnly(string data)
    {
        var database = Path.Combine(data, DatabaseSetup.FileName);
        var logs = Path.Combine(data, "logs");
        Assert.Equal(Folder, File.GetUnixFileMode(data));
        Assert.Equal(Folder, File.GetUnixFileMode(logs));
        Assert.Equal(Owner, File.GetUnixFileMode(database));
        foreach (var suffix in DatabaseSetup.CompanionSuffixes)
        {
            // In WAL mode SQLite keeps both while the server has the database open.
            Assert.True(File.Exists(database + suffix), database + suffix);
            Assert.Equal(Owner, File.GetUnixFileMode(database + suffix));
        }

        var logFiles = Directory.GetFiles(logs, "sockethub-*.log");
        Assert.NotEmpty(logFiles);
        Assert.All(logFiles, file => Assert.Equal(Owner, File.GetUnixFileMode(file)));
    }

    [Fact]
    public async Task A_new_data_folder_its_database_and_its_logs_are_owner_only()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        using var parent = new TempDirectory();
        var data = Path.Combine(parent.Path, "data");
        await using var server = await TestServer.StartInAsync(data, Logging);
        AssertOwnerOnly(data);
    }

    [Fact]
    public async Task Files_an_earlier_version_left_readable_by_all_are_made_owner_only_at_start()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        using var data = new TempDirectory();
        var first = await TestServer.StartInAsync(data.Path, Logging);
        await first.DisposeAsync();

        // As an earlier version left them (umask 022).
        var database = Path.Combine(data.Path, DatabaseSetup.FileName);
        File.SetUnixFileMode(data.Path, EveryoneFolder);
        File.SetUnixFileMode(Path.Combine(data.Path, "logs"), EveryoneFolder);
        File.SetUnixFileMode(database, Everyone);
        var oldLog = Path.Combine(data.Path, "logs", "sockethub-20200101.log");
        await File.WriteAllTextAsync(oldLog, "an old day's log\n", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(oldLog, Everyone);
        foreach (var file in Directory.GetFiles(Path.Combine(data.Path, "logs")))
        {
            File.SetUnixFileMode(file, Everyone);
        }

        await using var second = await TestServer.StartInAsync(data.Path, Logging);
        AssertOwnerOnly(data.Path);
        Assert.Equal(Owner, File.GetUnixFileMode(oldLog));
    }
}
