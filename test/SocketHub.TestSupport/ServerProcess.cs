using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using SocketHub.Server.Pipeline;

namespace SocketHub.TestSupport;

/// <summary>
/// The real server as a separate process (<c>dotnet SocketHub.Server.dll</c> from the test output
/// folder), on 127.0.0.1 with every port 0, so tests can kill it (SIGKILL) or stop it (SIGTERM)
/// like an operator or docker would. Its console output is captured; it counts as started once
/// it has logged "SocketHub started" (after every "&lt;listener&gt; listening on" line), and it then
/// exposes each listener's port.
/// The caller owns the data folder.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    /// <summary>How long a start may take before the test fails (cold JIT on a busy machine).</summary>
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    /// <summary>How long <see cref="WaitForExitAsync"/> waits by default before failing the test.</summary>
    public static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(30);

    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly StringBuilder _output = new();
    private readonly List<(Func<string, bool> Matches, TaskCompletionSource<string> Seen)> _waiters = [];
    private readonly Dictionary<string, int> _ports = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>The board port, from the "board listening on" line.</summary>
    public int BoardPort => PortOf("board");

    /// <summary>The ops (HTTP) port, from the "ops listening on" line.</summary>
    public int OpsPort => PortOf("ops");

    /// <summary>The port from the "<paramref name="listener"/> listening on" line.</summary>
    public int PortOf(string listener)
    {
        lock (_gate)
        {
            return _ports.TryGetValue(listener, out var port)
                ? port
                : throw new InvalidOperationException($"The server logged no '{listener} listening on' line. Output:\n{_output}");
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote so far, stdout and stderr interleaved by arrival; stderr lines start with "stderr| ".</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the server on <paramref name="dataDirectory"/> and waits until both listeners are
    /// logged; <paramref name="settings"/> are "Key:Sub=value" pairs. Fails with the captured output
    /// if the process exits first or the start takes longer than <see cref="StartDeadline"/>.
    /// </summary>
    public static Task<ServerProcess> StartAsync(string dataDirectory, params string[] settings) =>
        LaunchAsync(Path.Combine(AppContext.BaseDirectory, "SocketHub.Server.dll"), dataDirectory, Arguments(dataDirectory, settings), environment: null);

    /// <summary>
    /// Starts <c>dotnet <paramref name="dll"/></c> (a published copy, say) with no arguments, the
    /// way a container does: configured only through <paramref name="environment"/>, added to this
    /// process's own (a null value removes a variable). Waits for the start like <see cref="StartAsync(string, string[])"/>.
    /// </summary>
    public static Task<ServerProcess> StartDllAsync(string dll, string workingDirectory, IReadOnlyDictionary<string, string?> environment) =>
        LaunchAsync(dll, workingDirectory, [], environment);

    /// <summary>Like <see cref="StartAsync(string, string[])"/>, with the open-file limit (<c>ulimit -n</c>) lowered to <paramref name="openFiles"/>.</summary>
    public static Task<ServerProcess> StartWithOpenFileLimitAsync(string dataDirectory, int openFiles, params string[] settings) =>
        LaunchAsync(Path.Combine(AppContext.BaseDirectory, "SocketHub.Server.dll"), dataDirectory, Arguments(dataDirectory, settings), environment: null, openFiles);

    private static async Task<ServerProcess> LaunchAsync(string dll, string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment, int? openFiles = null)
    {
        var start = new ProcessStartInfo(openFiles is null ? DotnetHost() : "/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (openFiles is { } limit)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"ulimit -n {limit} && exec \"$@\"");
            start.ArgumentList.Add("sh");
            start.ArgumentList.Add(DotnetHost());
        }

        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data, error: true);
        try
        {
            if (!process.Start())
            {
                throw new InvalidOperationException($"Could not start {start.FileName} {dll}");
            }

            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        try
        {
            await server.WaitUntilListeningAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Command-line arguments for a server on loopback with every listener the modules declare on a free port.</summary>
    public static string[] Arguments(string dataDirectory, params string[] settings) =>
    [
        "--Listen:Address=127.0.0.1",
        .. SocketHubModules.PortKeys().Select(key => $"--{key}=0"),
        $"--Storage:DataDirectory={dataDirectory}",
        .. settings.Select(s => "--" + s),
    ];

    /// <summary>Completes with the first output line containing <paramref name="text"/> (already written or still to come).</summary>
    public Task<string> WaitForOutputAsync(string text, TimeSpan? deadline = null) =>
        WaitForLineAsync(line => line.Contains(text, StringComparison.Ordinal), deadline ?? ExitDeadline, $"a line containing '{text}'");

    /// <summary>SIGKILL: the process (and anything it started) dies at once, mid-whatever.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) when (_process.HasExited)
        {
            // Already gone.
        }
    }

    /// <summary>SIGTERM: what docker stop and systemd send; the server should stop gracefully.</summary>
    public void Terminate()
    {
        if (SendSignal(_process.Id, SigTerm) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (!_process.HasExited)
            {
                throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed with errno {errno}");
            }
        }
    }

    /// <summary>
    /// Waits for the process to exit (and its output to be read to the end) and returns its exit
    /// code; fails with the captured output if that takes longer than <paramref name="deadline"/>.
    /// </summary>
    public async Task<int> WaitForExitAsync(TimeSpan? deadline = null)
    {
        var limit = deadline ?? ExitDeadline;
        try
        {
            await _process.WaitForExitAsync().WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The server (pid {_process.Id}) did not exit within {limit}. Output so far:\n{Output}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                Kill();
                await _process.WaitForExitAsync().WaitAsync(ExitDeadline);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>The <c>dotnet</c> muxer that runs the tests.</summary>
    public static string DotnetHost()
    {
        // The SDK tells child processes which muxer it is; fall back to the one on PATH.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }

    // DllImport rather than LibraryImport: the generated marshalling needs AllowUnsafeBlocks.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    [GeneratedRegex(@"(?<![\w-])([\w-]+) listening on \S+:(\d+)\s*$")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"\x1B\[[0-9;]*m")]
    private static partial Regex ConsoleColour();

    private async Task WaitUntilListeningAsync()
    {
        var listening = _started.Task;
        var exited = _process.WaitForExitAsync();
        using var deadline = new CancellationTokenSource();
        var late = Task.Delay(StartDeadline, deadline.Token);
        var first = await Task.WhenAny(listening, exited, late);
        await deadline.CancelAsync();
        if (first == listening)
        {
            return;
        }

        if (first == exited)
        {
            throw new InvalidOperationException($"The server exited with code {_process.ExitCode} before listening. Output:\n{Output}");
        }

        throw new TimeoutException($"The server did not log its start within {StartDeadline}. Output so far:\n{Output}");
    }

    private async Task<string> WaitForLineAsync(Func<string, bool> matches, TimeSpan deadline, string what)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var earlier = _output.ToString().Split('\n').FirstOrDefault(matches);
            if (earlier is not null)
            {
                return earlier;
            }

            _waiters.Add((matches, seen));
        }

        try
        {
            return await seen.Task.WaitAsync(deadline);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The server did not write {what} within {deadline}. Output so far:\n{Output}");
        }
        finally
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Seen == seen);
            }
        }
    }

    private void OnLine(string? data, bool error)
    {
        if (data is null)
        {
            return; // end of that stream
        }

        var line = ConsoleColour().Replace(data, string.Empty);
        List<TaskCompletionSource<string>> matched = [];
        lock (_gate)
        {
            _output.Append(error ? "stderr| " : string.Empty).Append(line).Append('\n');
            foreach (var (matches, seen) in _waiters)
            {
                if (matches(line))
                {
                    matched.Add(seen);
                }
            }
        }

        foreach (var seen in matched)
        {
            seen.TrySetResult(line);
        }

        if (error)
        {
            return;
        }

        if (ListeningLine().Match(line) is { Success: true } listening)
        {
            lock (_gate)
            {
                _ports[listening.Groups[1].Value] = int.Parse(listening.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }
        else if (line.Contains("SocketHub started", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }
}
