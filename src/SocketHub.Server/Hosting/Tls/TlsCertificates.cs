using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SocketHub.Server.Hosting.Tls;

/// <summary>What /audit and the instructor's page say about the certificate.</summary>
/// <param name="Fingerprint">SHA-256 of the certificate, as <c>openssl x509 -fingerprint -sha256</c> prints it: students pin it.</param>
/// <param name="Source">"self-signed" or the certificate file's path.</param>
public sealed record TlsCertificateInfo(string Fingerprint, string Subject, DateTimeOffset NotAfter, string Source);

/// <summary>
/// The certificate every TLS listener presents. A configured certificate (<c>Tls:CertificatePath</c>,
/// <c>Tls:KeyPath</c>) is read again when either file changes, so a renewed certificate is used
/// from the next handshake on without a restart; a renewal that cannot be read leaves the old one
/// in use, with a warning. Without one, a self-signed certificate is made at first start and
/// kept in the data folder. The files are read at start: a bad one stops the server.
/// </summary>
public sealed class TlsCertificates : IDisposable
{
    public const string CertificateFileName = "tls.crt";
    public const string KeyFileName = "tls.key";

    private readonly string? _certificatePath;
    private readonly string? _keyPath;
    private readonly ILogger<TlsCertificates> _logger;
    private readonly Lock _reload = new();
    private (DateTime Certificate, DateTime Key) _written;
    private X509Certificate2 _current;
    private SslStreamCertificateContext _context;

    public TlsCertificates(ServerSettings settings, TimeProvider time, ILogger<TlsCertificates> logger)
    {
        _logger = logger;
        var tls = settings.Tls;
        if (!string.IsNullOrWhiteSpace(tls.CertificatePath))
        {
            _certificatePath = tls.CertificatePath;
            _keyPath = string.IsNullOrWhiteSpace(tls.KeyPath) ? null : tls.KeyPath;
            _written = WrittenAt();
            (_current, _context) = Load(_certificatePath, _keyPath, fromSettings: true);
            Info = Describe(_current, _certificatePath);
        }
        else
        {
            var names = tls.Names.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).ToList();
            _current = SelfSigned(settings.Storage.DataDirectory, names, time.GetUtcNow(), logger);
            _context = SslStreamCertificateContext.Create(_current, additionalCertificates: null, offline: true);
            Info = Describe(_current, "self-signed");
        }

        TlsLog.CertificateReady(logger, Info.Fingerprint, Info.Subject, Info.NotAfter, Info.Source);
    }

    public TlsCertificateInfo Info { get; private set; }

    /// <summary>The certificate for the next handshake; a changed configured file is read first.</summary>
    public X509Certificate2 Current
    {
        get
        {
            if (_certificatePath is not null && WrittenAt() != _written)
            {
                Reload();
            }

            return _current;
        }
    }

    /// <summary>
    /// <see cref="Current"/> with its chain, as the handshake sends it; built once per certificate
    /// (offline: nothing is fetched from the network).
    /// </summary>
    public SslStreamCertificateContext CurrentContext
    {
        get
        {
            _ = Current;
            return _context;
        }
    }

    public void Dispose() => _current.Dispose();

    /// <summary>OpenSSL's form: upper-case hex pairs joined by colons.</summary>
    public static string FingerprintOf(X509Certificate2 certificate) =>
        string.Join(':', SHA256.HashData(certificate.RawData).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    private void Reload()
    {
        lock (_reload)
        {
            var written = WrittenAt();
            if (written == _written)
            {
                return;
            }

            try
            {
                var (renewed, context) = Load(_certificatePath!, _keyPath, fromSettings: false);
                _context = context;
                _current = renewed; // the old one may still be in a handshake: left to the finalizer
                _written = written;
                Info = Describe(renewed, _certificatePath!);
                TlsLog.CertificateReloaded(_logger, Info.Fingerprint, Info.NotAfter);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                // Half-written during a renewal, most likely: the next handshake tries again.
                TlsLog.ReloadFailed(_logger, _certificatePath!, e.Message);
            }
        }
    }

    private (DateTime, DateTime) WrittenAt() => (
        File.GetLastWriteTimeUtc(_certificatePath!),
        _keyPath is null ? default : File.GetLastWriteTimeUtc(_keyPath));

    /// <summary>The certificate with its key, and its context with the chain that follows it in the file (fullchain.pem's intermediates).</summary>
    private static (X509Certificate2, SslStreamCertificateContext) Load(string certificatePath, string? keyPath, bool fromSettings)
    {
        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (!certificate.HasPrivateKey)
            {
                certificate.Dispose();
                throw new CryptographicException("no private key found (set Tls:KeyPath)");
            }

            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(certificatePath);
            var intermediates = new X509Certificate2Collection(chain.Cast<X509Certificate2>().Skip(1).ToArray());
            return (certificate, SslStreamCertificateContext.Create(certificate, intermediates, offline: true));
        }
        catch (Exception e) when (fromSettings && e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidSettingsException($"Invalid settings: the certificate in Tls:CertificatePath '{certificatePath}'" +
                (keyPath is null ? string.Empty : $" with Tls:KeyPath '{keyPath}'") + $" cannot be used: {e.Message}");
        }
    }

    /// <summary>The data folder's self-signed certificate, made (with its key) when missing or no longer matching the key.</summary>
    private static X509Certificate2 SelfSigned(string dataDirectory, IReadOnlyCollection<string> names, DateTimeOffset now, ILogger logger)
    {
        var keyPath = Path.Combine(dataDirectory, KeyFileName);
        var certificatePath = Path.Combine(dataDirectory, CertificateFileName);
        var keyPem = SecretFile.ReadOrCreate(keyPath, SelfSignedCertificate.NewKeyPem, "TLS key file", out _);
        if (SecretFile.OthersMayRead(keyPath))
        {
            TlsLog.KeyReadableByOthers(logger, keyPath);
        }

        if (File.Exists(certificatePath))
        {
            try
            {
                var kept = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath), keyPem);
                if (kept.NotAfter.ToUniversalTime() > now.UtcDateTime.AddDays(30) && SelfSignedCertificate.Names(kept, names))
                {
                    return kept;
                }

                kept.Dispose(); // about to expire, or without a name now asked for: a new one below
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                // Not this key's certificate, or damaged: make it again below.
            }
        }

        var certificatePem = SelfSignedCertificate.NewCertificatePem(keyPem, now, names);
        SecretFile.WritePublic(certificatePath, certificatePem, "TLS certificate file");
        TlsLog.SelfSignedMade(logger, certificatePath);
        return X509Certificate2.CreateFromPem(certificatePem, keyPem);
    }

    private static TlsCertificateInfo Describe(X509Certificate2 certificate, string source) =>
        new(FingerprintOf(certificate), certificate.Subject, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()), source);
}
