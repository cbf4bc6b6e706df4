using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using SocketHub.Server.Hosting.Tls;
using SocketHub.TestSupport;

namespace SocketHub.Server.Tests.Proxy;

/// <summary>Connections as a load balancer opens them: the PROXY protocol header first, then the client's bytes, or the TLS handshake.</summary>
internal static class ProxiedClient
{
    /// <summary>A connection to <paramref name="port"/> from 127.0.0.1 (the trusted proxy) that has sent <paramref name="header"/>.</summary>
    public static async Task<TcpTestClient> ConnectAsync(int port, byte[] header, IPAddress? source = null)
    {
        var client = await TcpTestClient.ConnectAsync(port, source);
        await client.SendAsync(header);
        return client;
    }

    /// <summary>
    /// TCP to a TLS port, <paramref name="header"/> in clear, then the handshake, pinned to
    /// <paramref name="fingerprint"/>: what HAProxy in TCP mode relays for a TLS client.
    /// </summary>
    public static async Task<SslStream> ConnectTlsAsync(int port, string fingerprint, byte[] header)
    {
        var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(header);
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, certificate, _, _) =>
                TlsCertificates.FingerprintOf(new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate!)) == fingerprint);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }).WaitAsync(RawClient.Deadline);
            return ssl;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }
}
