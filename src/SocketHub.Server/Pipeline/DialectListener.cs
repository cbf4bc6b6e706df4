using Microsoft.AspNetCore.Connections;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Pipeline;

/// <summary>
/// One raw TCP listener a module asked for: the dialect it speaks, the setting that holds its
/// port (<c>Board:Port</c>), the port configured, and how to make its connection handler.
/// </summary>
public sealed record DialectListener(Dialect Dialect, string PortKey, int Port, Func<IServiceProvider, ConnectionHandler> CreateHandler);
