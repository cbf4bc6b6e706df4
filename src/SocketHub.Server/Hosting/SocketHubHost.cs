using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SocketHub.Server.Data;
using SocketHub.Server.Hosting.Tls;
using SocketHub.Server.Logging;
using SocketHub.Server.Ops;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.Hosting;

/// <summary>
/// Composes the server: settings, logging, database, the dialect modules with one raw TCP
/// listener each (<see cref="SocketHubModules"/>) and the HTTP ops port, all in one Kestrel. Program.cs runs it; tests start it on port 0.
/// </summary>
public static class SocketHubHost
{
    public const string OpsListener = "ops";
    public const string OpsTlsListener = "ops-tls";

    /// <summary>How long a stop may take before Kestrel aborts what is left (docker waits 10 s).</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Builds the host, creates or upgrades the database, and starts listening. Throws
    /// <see cref="InvalidSettingsException"/> for bad settings and <see cref="PortInUseException"/>
    /// when another program holds a port.
    /// </summary>
    public static async Task<WebApplication> StartAsync(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var app = Build(args, configureServices);
        try
        {
            // Key files and the certificate are read (or made) before anything listens: a bad one stops the start.
            app.Services.GetRequiredService<TlsCertificates>();
            foreach (var service in app.Services.GetRequiredService<DialectModules>().AtStart)
            {
                app.Services.GetRequiredService(service);
            }

            await DatabaseSetup.MigrateAsync(app.Services);
            await app.Services.GetRequiredService<StoredCounts>().LoadAsync(
                app.Services.GetRequiredService<IDbContextFactory<SocketHubDb>>());
            app.Services.GetRequiredService<AuditMetrics>(); // its instruments exist from the start
            await app.StartAsync();
        }
        catch (Exception e) when (DatabaseProblem(e) is { } problem)
        {
            var file = Path.Combine(app.Services.GetRequiredService<ServerSettings>().Storage.DataDirectory, DatabaseSetup.FileName);
            await DisposeQuietlyAsync(app);
            throw new DatabaseUnusableException(file, problem.Message, e);
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            var ports = SettingsLoader.Ports(app.Services.GetRequiredService<ServerSettings>(), app.Services.GetRequiredService<DialectModules>());
            await app.DisposeAsync();
            throw new PortInUseException(ports, e);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var registry = app.Services.GetRequiredService<ListenerRegistry>();
        registry.MarkStarted();
        var stats = app.Services.GetRequiredService<ServerStats>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SocketHub");
        foreach (var (name, endpoint) in registry.Endpoints)
        {
            if (name.EndsWith(DialectListener.TlsSuffix, StringComparison.Ordinal))
            {
                stats.Dialects.FirstOrDefault(d => d.Dialect.Name + DialectListener.TlsSuffix == name)?.TlsPort = endpoint.Port;
            }
            else
            {
                stats.Dialects.FirstOrDefault(d => d.Dialect.Name == name)?.Port = endpoint.Port;
            }

            HostingLog.Listening(logger, name, endpoint);
        }

        HostingLog.Started(logger, app.Services.GetRequiredService<ServerSettings>().Storage.DataDirectory);
        HostingLog.ConnectionCap(logger, app.Services.GetRequiredService<ConnectionCap>().Limit, OpenFileLimit.Soft());
        app.Services.GetRequiredService<Proxy.ProxyProtocolSettings>().LogAtStart(logger);
        app.Lifetime.ApplicationStopping.Register(() => HostingLog.Stopping(logger));

        return app;
    }

    /// <summary>The SQLite error behind a failed start, if that is what it was.</summary>
    private static Microsoft.Data.Sqlite.SqliteException? DatabaseProblem(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is Microsoft.Data.Sqlite.SqliteException sqlite)
            {
                return sqlite;
            }

            if (e is AggregateException { InnerExceptions: [var only] })
            {
                return DatabaseProblem(only);
            }
        }

        return null;
    }

    /// <summary>Disposing a host whose start failed on the database may fail on it again; the start error is the one to report.</summary>
    private static async Task DisposeQuietlyAsync(WebApplication app)
    {
        try
        {
            await app.DisposeAsync();
        }
        catch (Exception e) when (DatabaseProblem(e) is not null)
        {
            // Reported by the caller.
        }
    }

    private static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json travels with the binaries, wherever the server is started from.
            ContentRootPath = AppContext.BaseDirectory,
        });

        var services = builder.Services;
        var (settings, modules) = SettingsLoader.Load(builder.Configuration, services);
        var dataDirectory = PrepareDataDirectory(settings.Storage.DataDirectory);
        settings.Storage.DataDirectory = dataDirectory;

        builder.AddSocketHubSerilog(dataDirectory);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);

        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ServerStats>();
        services.AddSingleton<ListenerRegistry>();
        services.AddSingleton(new AddressConnectionLimiter(settings.Limits.ConnectionsPerAddress));

        // The Redis backplane has registered its cluster-wide counter already (ClusterServices).
        services.TryAddSingleton<IAddressConnectionCounter>(provider => provider.GetRequiredService<AddressConnectionLimiter>());
        var maxConnections = settings.Limits.EffectiveMaxConnections;
        services.AddSingleton(new ConnectionCap(maxConnections));
        services.AddSingleton(new AcceptCeiling(AcceptCeiling.For(maxConnections), TimeProvider.System));

        // Registered after Kestrel's own socket transport, so Kestrel, which tries the last
        // registered first, binds every listener through it.
        services.AddSingleton<IConnectionListenerFactory>(provider => new CeilingListenerFactory(
            ActivatorUtilities.CreateInstance<SocketTransportFactory>(provider),
            provider.GetRequiredService<AcceptCeiling>(),
            provider.GetRequiredService<ILogger<CeilingListenerFactory>>()));
        services.AddSingleton<TlsCertificates>();
        services.AddSingleton<RefusalSummary>();
        services.AddSocketHubDatabase(settings.Storage);
        services.AddSocketHubHealth();
        services.AddSocketHubAudit();
        services.AddSocketHubMetrics(builder.Configuration);
        configureServices?.Invoke(services);

        var address = IPAddress.Parse(settings.Listen.Address);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var listener in modules.Listeners)
            {
                kestrel.ListenDialect(listener, address, settings.Listen);
            }

            kestrel.ListenOps(address, settings.Listen.Effective(settings.Ops.Port), OpsListener, secure: false);
            if (settings.Listen.EffectiveTls(settings.Ops.Port, settings.Ops.TlsPort, OpsSettings.DefaultTlsPort) is { } opsTls)
            {
                kestrel.ListenOps(address, opsTls, OpsTlsListener, secure: true);
            }
        });

        var app = builder.Build();
        app.UseSocketHubRequestLogging();
        app.MapSocketHubHealth();
        app.MapSocketHubAudit();
        app.MapSocketHubMetrics();
        app.MapInstructorPage();
        return app;
    }

    /// <summary>The data folder, made owner-only (<see cref="OwnerOnlyFiles"/>).</summary>
    private static string PrepareDataDirectory(string configured)
    {
        var path = Path.GetFullPath(configured);
        try
        {
            OwnerOnlyFiles.CreateFolder(path);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidSettingsException($"Invalid settings: Storage:DataDirectory '{path}' cannot be created or used: {e.Message}");
        }
    }
}
