using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Hosting;
using SocketHub.Server.Hosting.Tls;

namespace SocketHub.TestSupport;

/// <summary>
/// The real server, in this process, on 127.0.0.1 with every port 0 and a fresh data folder
/// (or a given one, to test restarts). Tests talk to it over real sockets, or in memory through
/// a listener's own connection pipeline (<see cref="ConnectInMemory"/>).
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly bool _ownsDirectory;
    private readonly ConcurrentDictionary<string, ConnectionDelegate> _pipelines = new();

    private TestServer(WebApplication app, string dataDirectory, bool ownsDirectory)
    {
        App = app;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
        var listeners = app.Services.GetRequiredService<ListenerRegistry>();
        BoardPort = listeners.PortOf("board");
        OpsPort = listeners.PortOf(SocketHubHost.OpsListener);
    }

    public WebApplication App { get; }

    public string DataDirectory { get; }

    public int BoardPort { get; }

    public int OpsPort { get; }

    /// <summary>The bound port of the listener named <paramref name="listener"/> ("history", "crypto", ...).</summary>
    public int PortOf(string listener) => App.Services.GetRequiredService<ListenerRegistry>().PortOf(listener);

    /// <summary>The SHA-256 of the certificate the TLS listeners present (the one the page shows).</summary>
    public string TlsFingerprint => App.Services.GetRequiredService<TlsCertificates>().Info.Fingerprint;

    /// <summary>A TLS client on <paramref name="listener"/>'s TLS twin ("board" → "board-tls"), pinned to <see cref="TlsFingerprint"/>.</summary>
    public Task<TlsTestClient> ConnectTlsAsync(string listener, IPAddress? source = null) =>
        TlsTestClient.ConnectAsync(PortOf(listener + "-tls"), TlsFingerprint, source: source);

    /// <summary>
    /// A client on an in-memory connection to the listener named <paramref name="listener"/>:
    /// the listener's gate and handler (one of each per listener, as Kestrel has), no socket.
    /// </summary>
    public InMemoryClient ConnectInMemory(string listener, InMemoryConnection? connection = null) =>
        InMemoryClient.Start(_pipelines.GetOrAdd(listener, name => ConnectionPipelines.Build(App.Services, name)), connection);

    public static string NewDataDirectory() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "sockethub-tests", Guid.NewGuid().ToString("n"))).FullName;

    /// <summary>Starts a server; <paramref name="settings"/> are "Key:Sub=value" pairs.</summary>
    public static Task<TestServer> StartAsync(params string[] settings) => StartAsync(null, null, settings);

    /// <summary>Starts a server on an existing data folder, which it leaves in place.</summary>
    public static Task<TestServer> StartInAsync(string dataDirectory, params string[] settings) => StartAsync(dataDirectory, null, settings);

    public static async Task<TestServer> StartAsync(string? dataDirectory, Action<IServiceCollection>? services, string[] settings)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= NewDataDirectory();
        var app = await SocketHubHost.StartAsync(Arguments(dataDirectory, settings), services);
        return new TestServer(app, dataDirectory, owns);
    }

    /// <summary>Command-line arguments for a server on loopback with free ports, logging warnings and errors only.</summary>
    public static string[] Arguments(string dataDirectory, params string[] settings) =>
        ServerProcess.Arguments(dataDirectory, ["Serilog:MinimumLevel:Default=Warning", .. settings]);

    public Task StopAsync() => App.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (_ownsDirectory)
        {
            TryDelete(DataDirectory);
        }
    }

    public static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be closing; the temp folder is cleaned by the OS eventually.
        }
    }
}
