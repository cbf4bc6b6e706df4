using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using SocketHub.Server.Hosting.Proxy;
using SocketHub.Server.Hosting.Tls;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.Hosting;

public static class KestrelDialectExtensions
{
    /// <summary>
    /// Opens a module's raw TCP listener and, unless its TLS port is 0, its TLS twin: the shared
    /// connection gate (limits, counters, logging scope, the connection's
    /// <see cref="DialectConnection"/>) in front of the dialect's handler; on the TLS port the
    /// handshake comes between them, so every limit applies before it and the handler reads and
    /// writes clear text as on the plain port.
    /// </summary>
    public static void ListenDialect(this KestrelServerOptions kestrel, DialectListener listener, IPAddress address, ListenSettings listen)
    {
        var services = kestrel.ApplicationServices;
        var registry = services.GetRequiredService<ListenerRegistry>();
        kestrel.Listen(address, listen.Effective(listener.Port), options =>
        {
            var pipeline = ConnectionPipelines.Build(services, listener);
            options.UseProxyProtocol(services, listener.Dialect.Name);
            options.Run(connection => pipeline(connection));
            registry.Add(listener.Dialect.Name, options);
        });

        if (listen.EffectiveTls(listener.Port, listener.TlsPort) is not { } tlsPort)
        {
            return;
        }

        kestrel.Listen(address, tlsPort, options =>
        {
            var gate = ConnectionPipelines.Gate(services, listener, secure: true);
            var handler = listener.CreateHandler(services);
            options.UseProxyProtocol(services, listener.TlsName);
            options.Use(next => connection => gate.InvokeAsync(connection, next));
            options.UseHttps(TlsOptions(services));
            options.Use(next => connection =>
            {
                DialectConnection.Of(connection).HandshakeCompleted = true;
                return next(connection);
            });
            options.Run(handler.OnConnectedAsync);
            registry.Add(listener.TlsName, options);
        });
    }

    /// <summary>
    /// Opens the instructor's HTTP port (HTTPS when <paramref name="secure"/>): the overall cap
    /// and the per-address limit in front of ASP.NET Core.
    /// </summary>
    public static void ListenOps(this KestrelServerOptions kestrel, IPAddress address, int port, string name, bool secure)
    {
        var services = kestrel.ApplicationServices;
        kestrel.Listen(address, port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            var gate = new OpsConnectionGate(
                services.GetRequiredService<IAddressConnectionCounter>(),
                services.GetRequiredService<ConnectionCap>(),
                services.GetRequiredService<RefusalSummary>(),
                secure);
            listen.UseProxyProtocol(services, name);
            listen.Use(next => connection => gate.InvokeAsync(connection, next));
            if (secure)
            {
                listen.UseHttps(TlsOptions(services));
            }

            services.GetRequiredService<ListenerRegistry>().Add(name, listen);
        });
    }

    /// <summary>
    /// TLS 1.2 and 1.3 with the current certificate (a renewed file is used from the next
    /// handshake on) and its chain; a client that does not finish its handshake in time is closed.
    /// The certificate goes to each handshake as a context built once per certificate: handing
    /// SslStream the bare certificate (Kestrel's certificate selector) makes it build the chain
    /// again at every handshake, which cost several times the handshake itself.
    /// </summary>
    public static TlsHandshakeCallbackOptions TlsOptions(IServiceProvider services)
    {
        var certificates = services.GetRequiredService<TlsCertificates>();
        return new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = certificates.CurrentContext,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificateRequired = false,
            }),
            HandshakeTimeout = services.GetRequiredService<ServerSettings>().Tls.HandshakeTimeout,
        };
    }
}

/// <summary>
/// The connection delegate a dialect's listener runs, the gate in front of the handler: Kestrel
/// runs it on accepted sockets, and tests run it on in-memory connections.
/// </summary>
public static class ConnectionPipelines
{
    public static ConnectionDelegate Build(IServiceProvider services, DialectListener listener)
    {
        var gate = Gate(services, listener, secure: false);
        var handler = listener.CreateHandler(services);
        return connection => gate.InvokeAsync(connection, handler.OnConnectedAsync);
    }

    /// <summary>The pipeline of the listener named <paramref name="listenerName"/> ("board", "chat-json", ...).</summary>
    public static ConnectionDelegate Build(IServiceProvider services, string listenerName) =>
        Build(services, services.GetRequiredService<DialectModules>().Listeners.Single(l => l.Dialect.Name == listenerName));

    internal static ConnectionGate Gate(IServiceProvider services, DialectListener listener, bool secure) => new(
        listener.Dialect,
        services.GetRequiredService<ServerStats>().For(listener.Dialect),
        services.GetRequiredService<IAddressConnectionCounter>(),
        services.GetRequiredService<ConnectionCap>(),
        services.GetRequiredService<RefusalSummary>(),
        services.GetRequiredService<ILogger<ConnectionGate>>(),
        secure,
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
}
