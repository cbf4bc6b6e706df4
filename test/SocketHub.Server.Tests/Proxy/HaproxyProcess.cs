using System.Net;
using System.Net.Sockets;
using System.Text;
using SocketHub.TestSupport;

namespace SocketHub.Server.Tests.Proxy;

/// <summary>
/// A real HAProxy in TCP mode as a child process, with a generated configuration: one frontend
/// on a free loopback port relaying to <c>127.0.0.1:backendPort</c> with <c>send-proxy-v2</c>, or
/// round robin over several backends, each health-checked (with its PROXY header) every 200 ms so
/// that a dead node is out of the rotation at its first failed check.
/// HAProxy cannot bind port 0, so a free port is found by binding one and closing it; another
/// program may take it meanwhile, and then the start is tried again on another.
/// </summary>
internal sealed class HaproxyProcess : IAsyncDisposable
{
    private const int Attempts = 5;

    private readonly ChildProcess _process;
    private readonly string _folder;

    private HaproxyProcess(ChildProcess process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    /// <summary>The frontend's port, where clients connect.</summary>
    public int Port { get; }

    /// <summary>The haproxy binary: Debian's (sbin is often not on a test runner's PATH), or one on the PATH; null when it is not installed.</summary>
    public static string? Binary() => ChildProcess.Find("haproxy", "/usr/sbin/haproxy", "/usr/local/sbin/haproxy");

    public static Task<HaproxyProcess> StartAsync(string binary, int backendPort) => StartAsync(binary, [backendPort]);

    public static async Task<HaproxyProcess> StartAsync(string binary, IReadOnlyList<int> backendPorts)
    {
        var folder = TestServer.NewDataDirectory();
        var failures = new StringBuilder();
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var port = ChildProcess.FreePort();
            var config = Path.Combine(folder, "haproxy.cfg");
            await File.WriteAllTextAsync(config, Config(port, backendPorts));

            // -db: stay in the foreground, this process's child; -f: the configuration.
            var process = ChildProcess.Start(binary, folder, ["-db", "-f", config]);
            if (await WaitUntilListeningAsync(process, port))
            {
                return new HaproxyProcess(process, folder, port);
            }

            // It exited. The port taken between our check and its bind is worth another try;
            // anything else (a configuration error) would fail the same way again.
            failures.AppendLine($"attempt {attempt} on port {port}: exit code {process.ExitCode}\n{process.Output}");
            await process.DisposeAsync();
            if (!process.Output.Contains("bind", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }
        }

        TestServer.TryDelete(folder);
        throw new InvalidOperationException($"haproxy did not start:\n{failures}");
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        TestServer.TryDelete(_folder);
    }

    /// <summary>The configuration, ending with a line feed: HAProxy refuses a file whose last line has none.</summary>
    private static string Config(int port, IReadOnlyList<int> backendPorts)
    {
        var checks = backendPorts.Count > 1 ? " check check-send-proxy inter 200ms fall 1 rise 1" : "";
        var servers = string.Concat(backendPorts.Select((backend, i) => $"    server n{i + 1} 127.0.0.1:{backend} send-proxy-v2{checks}\n"));
        return $"""
            global
                maxconn 1000

            defaults
                mode tcp
                timeout connect 5s
                timeout client 60s
                timeout server 60s

            frontend students
                bind 127.0.0.1:{port}
                default_backend sockethub

            backend sockethub
                balance roundrobin

            """ + servers + "\n";
    }

    /// <summary>
    /// True once the frontend accepts connections, false if haproxy exited first. HAProxy says
    /// nothing when it is ready, so the port is tried until it answers; each try that gets in is
    /// closed at once (HAProxy then gives up its backend connection before sending anything).
    /// </summary>
    private static async Task<bool> WaitUntilListeningAsync(ChildProcess process, int port)
    {
        using var deadline = new CancellationTokenSource(RawClient.Deadline);
        var exited = process.WaitForExitAsync(deadline.Token);
        while (!exited.IsCompleted)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
                return true;
            }
            catch (SocketException)
            {
                // Not bound yet: wait for haproxy to exit, or a moment before the next try.
                await Task.WhenAny(exited, Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token));
            }
        }

        await exited;
        return false;
    }
}
