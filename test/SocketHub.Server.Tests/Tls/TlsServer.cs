using SocketHub.TestSupport;

namespace SocketHub.Server.Tests.Tls;

/// <summary>What TLS tests ask of a running test server.</summary>
internal static class TlsServer
{
    /// <summary>The fingerprint the server says it presents (the log, /audit and the page show this one).</summary>
    public static string Fingerprint(TestServer server) => server.TlsFingerprint;

    public static Task<TlsTestClient> ConnectAsync(TestServer server, string listener) => server.ConnectTlsAsync(listener);
}
