using Microsoft.AspNetCore.Connections;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Pipeline;

/// <summary>
/// One raw TCP listener a module asked for: the dialect it speaks, the setting that holds its
/// port (<c>Board:Port</c>), the port configured, the TLS port beside it (<c>Board:TlsPort</c>;
/// null: the default, 0: none), and how to make its connection handler.
/// </summary>
public sealed record DialectListener(Dialect Dialect, string PortKey, int Port, int? TlsPort, Func<IServiceProvider, ConnectionHandler> CreateHandler)
{
    /// <summary>The TLS port's setting: <c>Board:Port</c> → <c>Board:TlsPort</c>, <c>Chat:JsonPort</c> → <c>Chat:JsonTlsPort</c>.</summary>
    public string TlsPortKey => PortKey.EndsWith("Port", StringComparison.Ordinal)
        ? PortKey[..^4] + "TlsPort"
        : throw new InvalidOperationException($"A port setting's key ends with 'Port' (got '{PortKey}').");

    /// <summary>The TLS listener's name in logs, /health/ready and the test servers' port lookup.</summary>
    public string TlsName => Dialect.Name + TlsSuffix;

    public const string TlsSuffix = "-tls";
}
