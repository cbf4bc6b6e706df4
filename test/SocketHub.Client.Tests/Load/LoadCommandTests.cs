using System.Globalization;
using Xunit;
using SocketHub.Client.Tests.Infrastructure;
using SocketHub.TestSupport;

namespace SocketHub.Client.Tests.Load;

public sealed class LoadCommandTests
{
    private static readonly string[] RaisedLimits =
    [
        "Board:PostsPerSecond=1000000", "Board:PostBurst=1000000",
        "History:RequestsPerSecond=1000000", "History:RequestBurst=1000000",
        "Chat:PasswordIterations=1000", "Chat:LinesPerSecond=1000000", "Chat:LineBurst=1000000",
    ];

    [Theory]
    [InlineData("board", "board")]
    [InlineData("history", "history")]
    [InlineData("crypto", "crypto")]
    [InlineData("chat", "chat-json")]
    public async Task A_healthy_server_gives_throughput_and_no_errors(string dialect, string listener)
    {
        await using var server = await TestServer.StartAsync(RaisedLimits);

        var run = await ClientRun.RunAsync("load", dialect, "--connections", "3", "--duration", "1.5",
            "--host", "127.0.0.1", "--port", server.PortOf(listener).ToString(CultureInfo.InvariantCulture));

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        var summary = Summary(run);
        Assert.True(long.Parse(summary["requests"], CultureInfo.InvariantCulture) > 0, run.Out);
        Assert.True(double.Parse(summary["rps"], CultureInfo.InvariantCulture) > 0, run.Out);
        Assert.Equal("0", summary["errors"]);
        Assert.Equal("0", summary["rate_limited"]);
        Assert.True(double.Parse(summary["max_ms"], CultureInfo.InvariantCulture) >= double.Parse(summary["p50_ms"], CultureInfo.InvariantCulture));
        Assert.DoesNotContain(run.Lines, l => l.StartsWith("hint:", StringComparison.Ordinal));
        if (dialect == "chat")
        {
            Assert.Contains("  logged in 3/3", run.Lines);
            Assert.True(long.Parse(summary["deliveries"], CultureInfo.InvariantCulture) > 0, run.Out);
        }
    }

    [Fact]
    public async Task Rate_limited_requests_are_counted_apart_from_errors_with_a_hint()
    {
        await using var server = await TestServer.StartAsync("Board:PostsPerSecond=0.001", "Board:PostBurst=5");

        var run = await ClientRun.RunAsync("load", "board", "--connections", "1", "--duration", "1",
            "--host", "127.0.0.1", "--port", server.BoardPort.ToString(CultureInfo.InvariantCulture));

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        var summary = Summary(run);
        Assert.Equal("5", summary["requests"]);
        Assert.Equal("0", summary["errors"]);
        Assert.True(long.Parse(summary["rate_limited"], CultureInfo.InvariantCulture) > 0);
        Assert.Contains(run.Lines, l => l.StartsWith("hint: ", StringComparison.Ordinal) && l.Contains("--Board:PostsPerSecond=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("crypto")]
    [InlineData("chat")]
    public async Task No_server_exits_3(string dialect)
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var run = await ClientRun.RunAsync("load", dialect, "--duration", "1", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith($"sockethub: cannot connect to 127.0.0.1:{port}: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_dialect_is_a_usage_error()
    {
        var run = await ClientRun.RunAsync("load", "ftp");

        Assert.Equal(2, run.ExitCode);
    }

    private static Dictionary<string, string> Summary(ClientRun run)
    {
        var line = Assert.Single(run.Lines, l => l.StartsWith("summary: ", StringComparison.Ordinal));
        return line["summary: ".Length..].Split(' ').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
    }
}
