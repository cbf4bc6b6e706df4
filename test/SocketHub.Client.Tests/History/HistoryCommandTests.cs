using Xunit;
using SocketHub.Client.Tests.Infrastructure;
using SocketHub.TestSupport;

namespace SocketHub.Client.Tests.History;

public sealed class HistoryCommandTests
{
    [Fact]
    public async Task New_show_delete_and_clear()
    {
        await using var server = await TestServer.StartAsync();
        string[] at = ["--host", "127.0.0.1", "--port", server.PortOf("history").ToString()];

        var created = await ClientRun.RunAsync(["history", "new", .. at]);
        Assert.Equal(0, created.ExitCode);
        var user = Assert.Single(created.Lines);
        Assert.Matches("^u-[a-z0-9]{10}$", user);

        var shown = await ClientRun.RunAsync(["history", "show", "--user", user, .. at]);
        Assert.Equal(0, shown.ExitCode);
        Assert.Equal(2, shown.Lines.Length);
        Assert.Matches(@"^\{'127\.0\.0\.1': 'new \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?'\}$", shown.Lines[0]);
        Assert.StartsWith($"{{'127.0.0.1': '{user} ", shown.Lines[1], StringComparison.Ordinal);

        var deleted = await ClientRun.RunAsync(["history", "delete", "--user", user, "--line", "1", .. at]);
        Assert.Equal((0, $"History at 1 deleted by {user}.\n"), (deleted.ExitCode, deleted.Out));

        var cleared = await ClientRun.RunWithInputAsync(user + "\n", ["history", "clear", "--user", "-", .. at]);
        Assert.Equal((0, "All history deleted.\n"), (cleared.ExitCode, cleared.Out));

        var after = await ClientRun.RunAsync(["history", "show", "--user", user, .. at]);
        Assert.StartsWith($"delete_all by {user} at ", after.Lines[0], StringComparison.Ordinal);
        Assert.Equal(2, after.Lines.Length);
    }

    [Fact]
    public async Task Refusals_exit_4_with_the_servers_sentence()
    {
        await using var server = await TestServer.StartAsync("History:Users:0=alice");
        string[] at = ["--host", "127.0.0.1", "--port", server.PortOf("history").ToString()];

        var unknown = await ClientRun.RunAsync(["history", "show", "--user", "mallory", .. at]);
        Assert.Equal((4, "", "sockethub: the history server refused: Authentication error.\n"), (unknown.ExitCode, unknown.Out, unknown.Error));

        // As the original, the server's answer does not say whether line 99 was there.
        var missing = await ClientRun.RunAsync(["history", "delete", "--user", "alice", "--line", "99", .. at]);
        Assert.Equal((0, "History at 99 deleted by alice.\n"), (missing.ExitCode, missing.Out));
    }

    [Fact]
    public async Task Delete_needs_a_user_and_a_line()
    {
        var run = await ClientRun.RunAsync("history", "delete", "--user", "alice");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--line", run.Error, StringComparison.Ordinal);
    }
}
