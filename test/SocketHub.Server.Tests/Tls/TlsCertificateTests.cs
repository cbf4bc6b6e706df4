using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SocketHub.Server.Hosting.Tls;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Tls;

/// <summary>Where the certificate comes from: made once and kept, or the teacher's files, renewed without a restart.</summary>
public sealed class TlsCertificateTests
{
    [Fact]
    public async Task Without_a_certificate_one_is_made_once_with_an_owner_only_key_and_kept_across_restarts()
    {
        using var data = new TempDirectory();
        string first;
        await using (var server = await TestServer.StartInAsync(data.Path))
        {
            first = TlsServer.Fingerprint(server);
            await using var client = await TlsServer.ConnectAsync(server, "board");
            Assert.Equal(first, TlsCertificates.FingerprintOf(client.ServerCertificate!));
            Assert.Contains("localhost", client.ServerCertificate!.GetNameInfo(X509NameType.DnsName, false) + SubjectAlternativeNames(client.ServerCertificate), StringComparison.Ordinal);
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data.Path, TlsCertificates.KeyFileName)));
        }

        await using (var again = await TestServer.StartInAsync(data.Path))
        {
            Assert.Equal(first, TlsServer.Fingerprint(again));
        }
    }

    [Fact]
    public async Task Names_asked_for_are_in_the_self_signed_certificate_and_a_new_name_makes_a_new_one()
    {
        using var data = new TempDirectory();
        string first;
        await using (var server = await TestServer.StartInAsync(data.Path, "Tls:Names:0=classroom.example", "Tls:Names:1=192.0.2.10"))
        {
            first = TlsServer.Fingerprint(server);
            await using var client = await TlsServer.ConnectAsync(server, "board");
            var names = client.ServerCertificate!.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
            Assert.Contains("classroom.example", names.EnumerateDnsNames());
            Assert.Contains(System.Net.IPAddress.Parse("192.0.2.10"), names.EnumerateIPAddresses());
        }

        await using (var same = await TestServer.StartInAsync(data.Path, "Tls:Names:0=classroom.example", "Tls:Names:1=192.0.2.10"))
        {
            Assert.Equal(first, TlsServer.Fingerprint(same));
        }

        await using var renamed = await TestServer.StartInAsync(data.Path, "Tls:Names:0=lab.example");
        Assert.NotEqual(first, TlsServer.Fingerprint(renamed));
    }

    [Fact]
    public async Task A_configured_certificate_is_served_and_a_renewed_file_is_used_from_the_next_handshake()
    {
        using var files = new TempDirectory();
        var certificatePath = Path.Combine(files.Path, "fullchain.pem");
        var keyPath = Path.Combine(files.Path, "privkey.pem");
        var original = WritePem(certificatePath, keyPath, "CN=classroom.example");
        await using var server = await TestServer.StartAsync($"Tls:CertificatePath={certificatePath}", $"Tls:KeyPath={keyPath}");
        Assert.Equal(original, TlsServer.Fingerprint(server));

        await using (var before = await TlsTestClient.ConnectAsync(server.PortOf("crypto-tls"), original))
        {
            Assert.Equal("CN=classroom.example", before.ServerCertificate!.Subject);
        }

        var renewed = WritePem(certificatePath, keyPath, "CN=classroom.example, O=renewed");
        // Whatever the file system's time resolution, the renewal is seen as a change.
        File.SetLastWriteTimeUtc(certificatePath, File.GetLastWriteTimeUtc(certificatePath).AddMinutes(1));

        await using var after = await TlsTestClient.ConnectAsync(server.PortOf("crypto-tls"), renewed);
        Assert.Equal(renewed, TlsCertificates.FingerprintOf(after.ServerCertificate!));
        Assert.Equal(renewed, TlsServer.Fingerprint(server));
    }

    [Fact]
    public async Task A_full_chain_file_sends_its_intermediate_with_the_certificate()
    {
        using var files = new TempDirectory();
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Classroom Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(365));
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = new CertificateRequest("CN=Classroom Intermediate", intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var intermediate = intermediateRequest.Create(root, now.AddDays(-1), now.AddDays(300), [1, 2, 3]).CopyWithPrivateKey(intermediateKey);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256);
        using var leaf = leafRequest.Create(intermediate, now.AddDays(-1), now.AddDays(90), [4, 5, 6]);
        var certificatePath = Path.Combine(files.Path, "fullchain.pem");
        var keyPath = Path.Combine(files.Path, "privkey.pem");
        File.WriteAllText(certificatePath, leaf.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, leafKey.ExportPkcs8PrivateKeyPem());
        await using var server = await TestServer.StartAsync($"Tls:CertificatePath={certificatePath}", $"Tls:KeyPath={keyPath}");

        // The client builds its chain from what the server sent: the intermediate is there only if it was sent.
        var sent = new List<string>();
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, server.PortOf("board-tls"));
        await using var ssl = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, _, chain, _) =>
        {
            sent.AddRange(chain!.ChainElements.Select(e => e.Certificate.Subject));
            return true;
        });
        await ssl.AuthenticateAsClientAsync("localhost");

        Assert.Equal(["CN=localhost", "CN=Classroom Intermediate"], sent.Take(2));
    }

    [Fact]
    public async Task A_certificate_file_that_is_not_a_certificate_stops_the_start_naming_the_setting()
    {
        using var files = new TempDirectory();
        var bad = Path.Combine(files.Path, "cert.pem");
        await File.WriteAllTextAsync(bad, "not a certificate");

        var e = await Assert.ThrowsAsync<SocketHub.Server.Hosting.InvalidSettingsException>(() => TestServer.StartAsync($"Tls:CertificatePath={bad}"));
        Assert.Contains("Tls:CertificatePath", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A new key and certificate, as PEM files; returns the certificate's fingerprint.</summary>
    private static string WritePem(string certificatePath, string keyPath, string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return TlsCertificates.FingerprintOf(certificate);
    }

    private static string SubjectAlternativeNames(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SingleOrDefault() is { } names
            ? string.Join(",", names.EnumerateDnsNames())
            : string.Empty;
}
