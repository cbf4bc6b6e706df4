using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SocketHub.TestSupport;

/// <summary>
/// A real service the tests run beside SocketHub (redis-server, haproxy) as a child process: its
/// output kept for failure messages and handed line by line to the caller (who watches for "ready"),
/// killed with its children when disposed. Such programs cannot report a port 0 they bound, so
/// <see cref="FreePort"/> finds one by binding it and closing it; a caller whose child then finds
/// it taken tries again on another.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Action<string>? _onLine;

    private ChildProcess(Process process, Action<string>? onLine)
    {
        _process = process;
        _onLine = onLine;
    }

    /// <summary>Everything it wrote to standard output and error so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>The program at one of <paramref name="systemPaths"/> or on the PATH; null when it is not installed.</summary>
    public static string? Find(string name, params string[] systemPaths) =>
        systemPaths
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, name)))
            .FirstOrDefault(File.Exists);

    /// <summary>A loopback port nothing listened on a moment ago.</summary>
    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>Starts <paramref name="binary"/> in <paramref name="folder"/>; <paramref name="onLine"/> sees each line of its output.</summary>
    public static ChildProcess Start(string binary, string folder, IEnumerable<string> arguments, Action<string>? onLine = null)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var child = new ChildProcess(new Process { StartInfo = start, EnableRaisingEvents = true }, onLine);
        child._process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        _onLine?.Invoke(line);
    }
}
