using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SocketHub.Server.Ops;

namespace SocketHub.Server.Hosting;

public static class KestrelDialectExtensions
{
    /// <summary>
    /// Opens a raw TCP listener for one dialect: the shared connection gate (limits, counters,
    /// logging scope) in front of the dialect's <see cref="ConnectionHandler"/>.
    /// </summary>
    public static void ListenDialect<THandler>(this KestrelServerOptions kestrel, Dialect dialect, IPAddress address, int port)
        where THandler : ConnectionHandler
    {
        var services = kestrel.ApplicationServices;
        kestrel.Listen(address, port, listen =>
        {
            var gate = new ConnectionGate(
                dialect,
                services.GetRequiredService<ServerStats>().For(dialect),
                services.GetRequiredService<AddressConnectionLimiter>(),
                services.GetRequiredService<ConnectionCap>(),
                services.GetRequiredService<RefusalSummary>(),
                services.GetRequiredService<ILogger<ConnectionGate>>());
            listen.Use(next => connection => gate.InvokeAsync(connection, next));
            listen.UseConnectionHandler<THandler>();
            services.GetRequiredService<ListenerRegistry>().Add(dialect.Name, listen);
        });
    }
}
