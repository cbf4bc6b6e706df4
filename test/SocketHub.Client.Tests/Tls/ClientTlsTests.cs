using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Client.Tests.Infrastructure;
using SocketHub.Server.Hosting.Tls;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Client.Tests.Tls;

/// <summary><c>sockethub --tls</c>: every dialect inside TLS, and whom the client trusts.</summary>
public sealed class ClientTlsTests
{
    [Fact]
    public async Task Pinned_to_the_servers_fingerprint_every_dialect_works_inside_tls()
    {
        await using var server = await TestServer.StartAsync("Chat:PasswordIterations=1000");
        var pin = Fingerprint(server);
        string[] Tls(string listener) => ["--host", "127.0.0.1", "--port", server.PortOf(listener + "-tls").ToString(), "--tls", "--fingerprint", pin];

        var posted = await ClientRun.RunAsync(["board", "post", "over TLS", .. Tls("board")]);
        Assert.Equal((0, "Posted.\n", ""), (posted.ExitCode, posted.Out, posted.Error));
        var listed = await ClientRun.RunAsync(["board", "list", .. Tls("board")]);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("over TLS", listed.Out, StringComparison.Ordinal);

        var encrypted = await ClientRun.RunAsync(["crypto", "encrypt", "secret", .. Tls("crypto")]);
        Assert.Equal(0, encrypted.ExitCode);
        var decrypted = await ClientRun.RunAsync(["crypto", "decrypt", Assert.Single(encrypted.Lines), .. Tls("crypto")]);
        Assert.Equal((0, "secret\n"), (decrypted.ExitCode, decrypted.Out));

        var history = await ClientRun.RunAsync(["history", "new", .. Tls("history")]);
        Assert.Equal(0, history.ExitCode);

        var load = await ClientRun.RunAsync(["load", "crypto", "-c", "2", "-d", "0.5", .. Tls("crypto")]);
        Assert.Equal(0, load.ExitCode);
        Assert.Contains("errors=0", load.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_self_signed_certificate_is_refused_unless_pinned_or_insecure_and_the_refusal_shows_its_fingerprint()
    {
        await using var server = await TestServer.StartAsync();
        string[] at = ["--host", "127.0.0.1", "--port", server.PortOf("crypto-tls").ToString(), "--tls"];

        var refused = await ClientRun.RunAsync(["crypto", "key", .. at]);
        Assert.Equal(ExitCodes.CannotConnect, refused.ExitCode);
        Assert.Contains("not trusted", refused.Error, StringComparison.Ordinal);
        Assert.Contains(Fingerprint(server), refused.Error, StringComparison.Ordinal);

        var wrongPin = await ClientRun.RunAsync(["crypto", "key", .. at, "--fingerprint", new string('A', 64)]);
        Assert.Equal(ExitCodes.CannotConnect, wrongPin.ExitCode);
        Assert.Contains("not the pinned one", wrongPin.Error, StringComparison.Ordinal);

        // Pins are accepted as OpenSSL prints them or as bare lower-case hex.
        var pinned = await ClientRun.RunAsync(["crypto", "key", .. at, "--fingerprint", Fingerprint(server).Replace(":", "").ToLowerInvariant()]);
        Assert.Equal(0, pinned.ExitCode);

        var insecure = await ClientRun.RunAsync(["crypto", "key", .. at, "--insecure"]);
        Assert.Equal(0, insecure.ExitCode);
    }

    [Theory]
    [InlineData("expired", "CN=localhost", -30, -1)]
    [InlineData("for another name", "CN=other.example", -1, 30)]
    public async Task A_certificate_that_is_expired_or_for_another_name_is_refused_unless_pinned(string what, string subject, int fromDays, int toDays)
    {
        using var files = new TempDirectory();
        var (certificatePath, keyPath, pin) = WriteCertificate(files.Path, subject, fromDays, toDays);
        await using var server = await TestServer.StartAsync($"Tls:CertificatePath={certificatePath}", $"Tls:KeyPath={keyPath}");
        string[] at = ["--host", "localhost", "--port", server.PortOf("board-tls").ToString(), "--tls"];

        var refused = await ClientRun.RunAsync(["board", "list", .. at]);
        Assert.True(refused.ExitCode == ExitCodes.CannotConnect, $"{what}: {refused.Error}");
        Assert.Contains("not trusted", refused.Error, StringComparison.Ordinal);

        var pinned = await ClientRun.RunAsync(["board", "list", .. at, "--fingerprint", pin]);
        Assert.True(pinned.ExitCode == 0, $"{what}: {pinned.Error}");
    }

    [Fact]
    public async Task Fingerprint_and_insecure_need_tls_and_a_fingerprint_must_be_a_sha256()
    {
        var alone = await ClientRun.RunAsync("crypto", "key", "--port", "1", "--insecure");
        Assert.Equal(ExitCodes.Usage, alone.ExitCode);
        Assert.Contains("go with --tls", alone.Error, StringComparison.Ordinal);

        var bad = await ClientRun.RunAsync("crypto", "key", "--port", "1", "--tls", "--fingerprint", "AB:CD");
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.Contains("64 hex digits", bad.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--tls" }, 18080)]
    [InlineData(new[] { "--tls", "--port", "9999" }, 9999)]
    [InlineData(new string[0], 8080)]
    public void With_tls_the_default_port_is_the_dialects_tls_port(string[] args, int expected)
    {
        var host = CommonOptions.Host();
        var port = CommonOptions.Port(CommonOptions.BoardPort);
        var root = new RootCommand { host, port };
        foreach (var option in CommonOptions.TlsOptions())
        {
            root.Options.Add(option);
        }

        Assert.Equal(expected, CommonOptions.Server(root.Parse(args), host, port).Port);
    }

    private static string Fingerprint(TestServer server) => server.App.Services.GetRequiredService<TlsCertificates>().Info.Fingerprint;

    private static (string Certificate, string Key, string Fingerprint) WriteCertificate(string folder, string subject, int fromDays, int toDays)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(subject[3..]);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(fromDays), DateTimeOffset.UtcNow.AddDays(toDays));
        var certificatePath = Path.Combine(folder, "cert.pem");
        var keyPath = Path.Combine(folder, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath, TlsCertificates.FingerprintOf(certificate));
    }
}
