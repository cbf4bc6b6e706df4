using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SocketHub.Client.Net;

/// <summary>
/// How the client trusts a server's certificate: by the system's trust store and the host name
/// (the default: a certificate from the institution or Let's Encrypt), by a pinned SHA-256
/// fingerprint (the self-signed certificate whose fingerprint the teacher's page shows), or not
/// at all (<c>--insecure</c>, for a first trial only).
/// </summary>
public sealed record ClientTls(string? Fingerprint, bool Insecure)
{
    /// <summary>A fingerprint as typed, with or without colons, in either case: 64 hex digits or null.</summary>
    public static string? NormalizeFingerprint(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return null;
        }

        var hex = typed.Replace(":", string.Empty, StringComparison.Ordinal).Trim().ToUpperInvariant();
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }

    /// <summary>The certificate's SHA-256 as OpenSSL prints it (<c>AB:CD:...</c>).</summary>
    public static string FingerprintOf(X509Certificate certificate) =>
        string.Join(':', SHA256.HashData(certificate.GetRawCertData()).Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    /// <summary>Whether to go on with this certificate; when not, <paramref name="problem"/> says why and what to do.</summary>
    public bool Accepts(X509Certificate? certificate, SslPolicyErrors errors, out string problem)
    {
        problem = string.Empty;
        if (Insecure)
        {
            return true;
        }

        if (certificate is null)
        {
            problem = "the server sent no certificate";
            return false;
        }

        var presented = FingerprintOf(certificate);
        if (Fingerprint is not null)
        {
            if (presented.Replace(":", string.Empty, StringComparison.Ordinal) == Fingerprint)
            {
                return true;
            }

            problem = $"the server's certificate has SHA-256 {presented}, not the pinned one";
            return false;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        problem = $"the server's certificate is not trusted ({Describe(errors)}); its SHA-256 is {presented}: " +
            "if that is the one your teacher gave you, pin it with --fingerprint, or use --insecure for a trial";
        return false;
    }

    private static string Describe(SslPolicyErrors errors) => errors switch
    {
        SslPolicyErrors.RemoteCertificateNameMismatch => "it is for another name",
        SslPolicyErrors.RemoteCertificateChainErrors => "self-signed, expired or from an unknown authority",
        _ => "self-signed, expired, from an unknown authority, or for another name",
    };
}

/// <summary>Where a command connects: host, port, and TLS when asked for.</summary>
public sealed record ServerAddress(string Host, int Port, ClientTls? Tls = null)
{
    public override string ToString() => $"{Host}:{Port}";
}
