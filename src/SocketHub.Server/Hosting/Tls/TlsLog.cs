using System.Net;

namespace SocketHub.Server.Hosting.Tls;

/// <summary>Log messages about certificates and handshakes (source-generated, structured).</summary>
internal static partial class TlsLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "TLS certificate SHA-256 {Fingerprint} ({Subject}, valid until {NotAfter:u}, {Source})")]
    public static partial void CertificateReady(ILogger logger, string fingerprint, string subject, DateTimeOffset notAfter, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS certificate file changed; now SHA-256 {Fingerprint}, valid until {NotAfter:u}")]
    public static partial void CertificateReloaded(ILogger logger, string fingerprint, DateTimeOffset notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS certificate {Path} changed but cannot be read yet ({Problem}); the previous one stays in use")]
    public static partial void ReloadFailed(ILogger logger, string path, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Made a self-signed TLS certificate: {Path}")]
    public static partial void SelfSignedMade(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The TLS key file {Path} can be read by others than its owner: chmod 600 it")]
    public static partial void KeyReadableByOthers(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Listener} TLS handshake from {Remote} did not complete (timed out, refused or not TLS)")]
    public static partial void HandshakeFailed(ILogger logger, string listener, IPAddress remote);
}
