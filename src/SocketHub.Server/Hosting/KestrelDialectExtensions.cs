using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.Hosting;

public static class KestrelDialectExtensions
{
    /// <summary>
    /// Opens a module's raw TCP listener: the shared connection gate (limits, counters, logging
    /// scope, the connection's <see cref="DialectConnection"/>) in front of the dialect's handler.
    /// </summary>
    public static void ListenDialect(this KestrelServerOptions kestrel, DialectListener listener, IPAddress address, int port)
    {
        var services = kestrel.ApplicationServices;
        kestrel.Listen(address, port, listen =>
        {
            var pipeline = ConnectionPipelines.Build(services, listener);
            listen.Run(connection => pipeline(connection));
            services.GetRequiredService<ListenerRegistry>().Add(listener.Dialect.Name, listen);
        });
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
        var gate = new ConnectionGate(
            listener.Dialect,
            services.GetRequiredService<ServerStats>().For(listener.Dialect),
            services.GetRequiredService<AddressConnectionLimiter>(),
            services.GetRequiredService<ConnectionCap>(),
            services.GetRequiredService<RefusalSummary>(),
            services.GetRequiredService<ILogger<ConnectionGate>>(),
            services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        var handler = listener.CreateHandler(services);
        return connection => gate.InvokeAsync(connection, handler.OnConnectedAsync);
    }

    /// <summary>The pipeline of the listener named <paramref name="listenerName"/> ("board", "chat-json", ...).</summary>
    public static ConnectionDelegate Build(IServiceProvider services, string listenerName) =>
        Build(services, services.GetRequiredService<DialectModules>().Listeners.Single(l => l.Dialect.Name == listenerName));
}
