using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SocketHub.Server.Hosting.Tls;

/// <summary>
/// The certificate a server without one of its own presents: ECDSA P-256 (cheap handshakes),
/// self-signed, valid for this machine's host name, <c>localhost</c> and every address of its
/// interfaces, so <c>openssl s_client -connect host:port</c> and pinned clients can check it.
/// </summary>
internal static class SelfSignedCertificate
{
    /// <summary>Long enough for a school year or several; a new one is made when it is deleted.</summary>
    private static readonly TimeSpan Validity = TimeSpan.FromDays(825);

    public static string NewKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem() + "\n";
    }

    /// <summary>A certificate for <paramref name="keyPem"/>'s key, as PEM, also valid for <paramref name="extraNames"/> (host names or IP addresses).</summary>
    public static string NewCertificatePem(string keyPem, DateTimeOffset now, IReadOnlyCollection<string> extraNames)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(keyPem);
        var host = Dns.GetHostName();
        var request = new CertificateRequest(new X500DistinguishedName($"CN={host}, O=SocketHub (self-signed)"), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        var addresses = Addresses();
        var dnsNames = new List<string> { host, "localhost" };
        foreach (var name in extraNames)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                addresses.Add(address);
            }
            else
            {
                dnsNames.Add(name);
            }
        }

        foreach (var name in dnsNames.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            names.AddDnsName(name);
        }

        foreach (var address in addresses)
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        // A day back: a client whose clock is a little behind still accepts it.
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now + Validity);
        return certificate.ExportCertificatePem() + "\n";
    }

    /// <summary>Whether <paramref name="certificate"/> names every one of <paramref name="names"/>.</summary>
    public static bool Names(X509Certificate2 certificate, IEnumerable<string> names)
    {
        var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (extension is null)
        {
            return !names.Any();
        }

        var dns = extension.EnumerateDnsNames().ToHashSet(StringComparer.OrdinalIgnoreCase);
        var ips = extension.EnumerateIPAddresses().ToHashSet();
        return names.All(n => IPAddress.TryParse(n, out var address) ? ips.Contains(address) : dns.Contains(n));
    }

    private static HashSet<IPAddress> Addresses()
    {
        var addresses = new HashSet<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        try
        {
            foreach (var network in NetworkInterface.GetAllNetworkInterfaces().Where(n => n.OperationalStatus == OperationalStatus.Up))
            {
                foreach (var unicast in network.GetIPProperties().UnicastAddresses)
                {
                    if (!unicast.Address.IsIPv6LinkLocal)
                    {
                        addresses.Add(unicast.Address);
                    }
                }
            }
        }
        catch (NetworkInformationException)
        {
            // Without the interface list the certificate still names the host and loopback.
        }

        return addresses;
    }
}
