using System.Net;

namespace SocketHub.Server.Hosting.Proxy;

/// <summary>Log messages of the PROXY protocol reader (source-generated, structured).</summary>
internal static partial class ProxyLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Listener} connection through proxy {Proxy} is from {Remote}")]
    public static partial void Forwarded(ILogger logger, string listener, IPAddress proxy, IPAddress remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "PROXY protocol headers are read from trusted proxies {TrustedProxies} (Listen:TrustedProxies), within {Seconds} s")]
    public static partial void Enabled(ILogger logger, string trustedProxies, double seconds);
}
