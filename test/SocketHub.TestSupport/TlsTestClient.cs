using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SocketHub.Server.Hosting.Tls;

namespace SocketHub.TestSupport;

/// <summary>
/// A TLS client as a student's program would be: TCP, then the handshake, accepting only the
/// certificate whose SHA-256 fingerprint it was given (the one the instructor's page shows).
/// Sending and reading are the raw client's, over the TLS stream.
/// </summary>
public sealed class TlsTestClient : RawClient
{
    private readonly TcpClient _tcp;
    private readonly SslStream _ssl;

    private TlsTestClient(TcpClient tcp, SslStream ssl)
    {
        _tcp = tcp;
        _ssl = ssl;
    }

    /// <summary>The certificate the server presented.</summary>
    public X509Certificate2? ServerCertificate { get; private set; }

    public SslProtocols Protocol => _ssl.SslProtocol;

    /// <param name="source">The local address to connect from (127.0.0.x), for per-address limits; any when null.</param>
    public static async Task<TlsTestClient> ConnectAsync(int port, string fingerprint, SslProtocols protocols = SslProtocols.None, IPAddress? source = null)
    {
        var tcp = source is null ? new TcpClient() : new TcpClient(new IPEndPoint(source, 0));
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        TlsTestClient? client = null;
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
        {
            var presented = new X509Certificate2(certificate!);
            client!.ServerCertificate = presented;
            return TlsCertificates.FingerprintOf(presented) == fingerprint;
        });
        client = new TlsTestClient(tcp, ssl);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = protocols,
            }).WaitAsync(Deadline);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        return client;
    }

    public override async Task SendAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        await _ssl.WriteAsync(bytes, timeout.Token);
        await _ssl.FlushAsync(timeout.Token);
    }

    /// <summary>Half-closes the TCP connection under the TLS stream: the server reads the end of the stream.</summary>
    public override void ShutdownSend() => _tcp.Client.Shutdown(SocketShutdown.Send);

    public override async ValueTask DisposeAsync()
    {
        await _ssl.DisposeAsync();
        _tcp.Dispose();
    }

    protected override ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _ssl.ReadAsync(buffer, cancellationToken);

    protected override bool IsSendFailure(Exception e) => e is IOException or ObjectDisposedException;

    protected override bool IsReset(Exception e) =>
        e is IOException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted } };
}
