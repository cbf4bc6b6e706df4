using System.Diagnostics;
using System.Text;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Cluster;

/// <summary>
/// A real, throwaway redis-server as a child process on a free loopback port, keeping nothing on
/// disk (<c>--save '' --appendonly no</c>). redis-server cannot report a port 0 it bound, so a free
/// port is found by binding one and closing it; when another program takes it meanwhile, the
/// start is tried again on another.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private const int Attempts = 5;

    private readonly ChildProcess _process;
    private readonly string _folder;

    private RedisServer(ChildProcess process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>What the nodes are given as <c>ConnectionStrings:Redis</c>.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>Debian's redis-server, or one on the PATH; null when it is not installed.</summary>
    public static string? Binary() => ChildProcess.Find("redis-server", "/usr/bin/redis-server", "/usr/local/bin/redis-server");

    public static async Task<RedisServer> StartAsync(string binary)
    {
        var folder = TestServer.NewDataDirectory();
        var failures = new StringBuilder();
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var port = ChildProcess.FreePort();

            // redis-server says "Ready to accept connections" once it listens; it exits when it cannot bind.
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var process = ChildProcess.Start(
                binary,
                folder,
                ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder],
                line =>
                {
                    if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
                    {
                        ready.TrySetResult();
                    }
                });
            var first = await Task.WhenAny(ready.Task, process.WaitForExitAsync()).WaitAsync(RawClient.Deadline);
            if (first == ready.Task)
            {
                return new RedisServer(process, folder, port);
            }

            failures.AppendLine($"attempt {attempt} on port {port}: exit code {process.ExitCode}\n{process.Output}");
            await process.DisposeAsync();
            if (!process.Output.Contains("Address already in use", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }
        }

        TestServer.TryDelete(folder);
        throw new InvalidOperationException($"redis-server did not start:\n{failures}");
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        TestServer.TryDelete(_folder);
    }
}

/// <summary>
/// One redis-server for a test class, started before its first test and stopped after its last;
/// none when redis-server is not installed, and then <see cref="Require"/> skips the test.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;

    /// <summary>The running server's connection string; skips the test when redis-server is not installed.</summary>
    public string Require()
    {
        if (_server is null)
        {
            Assert.Skip("redis-server is not installed (apt-get install redis-server; .ci/run installs it).");
        }

        return _server.ConnectionString;
    }

    public async ValueTask InitializeAsync()
    {
        if (RedisServer.Binary() is { } binary)
        {
            _server = await RedisServer.StartAsync(binary);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>Waits for something that happens in its own time (a key's expiry), by asking again until a deadline.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    /// <summary>Completes once <paramref name="condition"/> holds; fails naming <paramref name="what"/> when it does not within <paramref name="deadline"/>.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan deadline, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > deadline)
            {
                Assert.Fail($"Not within {deadline.TotalSeconds} s: {what}.");
            }

            await Task.Delay(Pause);
        }
    }
}
