using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SocketHub.Server.Hosting.Tls;

namespace SocketHub.Server.Tests.Tls;

/// <summary>
/// A TLS client as a student's program would be: TCP, then the handshake, accepting only the
/// certificate whose SHA-256 fingerprint it was given (the one the instructor's page shows).
/// </summary>
internal sealed class TlsTestClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly SslStream _ssl;
    private readonly MemoryStream _received = new();

    private TlsTestClient(TcpClient tcp, SslStream ssl)
    {
        _tcp = tcp;
        _ssl = ssl;
    }

    /// <summary>The certificate the server presented.</summary>
    public X509Certificate2? ServerCertificate { get; private set; }

    public SslProtocols Protocol => _ssl.SslProtocol;

    public static async Task<TlsTestClient> ConnectAsync(int port, string fingerprint, SslProtocols protocols = SslProtocols.None)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
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
            }).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        return client;
    }

    public async Task SendAsync(string text)
    {
        await _ssl.WriteAsync(Encoding.UTF8.GetBytes(text));
        await _ssl.FlushAsync();
    }

    public async Task SendAsync(byte[] bytes)
    {
        await _ssl.WriteAsync(bytes);
        await _ssl.FlushAsync();
    }

    /// <summary>Reads until the text received so far ends with <paramref name="end"/>; returns all of it and starts afresh.</summary>
    public async Task<string> ReadUntilAsync(string end)
    {
        var buffer = new byte[16 * 1024];
        while (!Encoding.UTF8.GetString(_received.ToArray()).EndsWith(end, StringComparison.Ordinal))
        {
            var read = await _ssl.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            if (read == 0)
            {
                throw new IOException($"Closed before '{end}'; got: {Encoding.UTF8.GetString(_received.ToArray())}");
            }

            _received.Write(buffer, 0, read);
        }

        var text = Encoding.UTF8.GetString(_received.ToArray());
        _received.SetLength(0);
        return text;
    }

    /// <summary>Everything until the server closes.</summary>
    public async Task<string> ReadToEndAsync()
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await _ssl.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30))) > 0)
        {
            _received.Write(buffer, 0, read);
        }

        var text = Encoding.UTF8.GetString(_received.ToArray());
        _received.SetLength(0);
        return text;
    }

    public async ValueTask DisposeAsync()
    {
        await _ssl.DisposeAsync();
        _tcp.Dispose();
    }
}
