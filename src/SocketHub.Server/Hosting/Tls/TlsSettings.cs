namespace SocketHub.Server.Hosting.Tls;

/// <summary>
/// <c>Tls:*</c>: the certificate every TLS listener presents. With neither path set, a
/// self-signed certificate for this machine's names is made at first start and kept in the data
/// folder (<c>tls.crt</c>, and <c>tls.key</c> readable by the owner only).
/// </summary>
public sealed class TlsSettings
{
    /// <summary>PEM certificate (a chain may follow it), e.g. Let's Encrypt's <c>fullchain.pem</c>; reloaded when the file changes.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key, e.g. <c>privkey.pem</c>; may be left out when the certificate file holds the key.</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// More names or addresses for the self-signed certificate, beside the machine's own: the name
    /// students type (<c>classroom.example.edu</c>), or the VM's address when the server runs in a
    /// container, whose own name students never see. A certificate kept from before that lacks
    /// one is made again.
    /// </summary>
    public string[] Names { get; set; } = [];

    /// <summary>Seconds a client may take to complete the TLS handshake before it is closed (a handshake slowloris).</summary>
    public double HandshakeTimeoutSeconds { get; set; } = 10;

    public TimeSpan HandshakeTimeout => TimeSpan.FromSeconds(HandshakeTimeoutSeconds);

    internal void Validate(SettingsCheck check)
    {
        check.AtLeast("Tls:HandshakeTimeoutSeconds", HandshakeTimeoutSeconds, 0.1);
        check.That(!string.IsNullOrWhiteSpace(CertificatePath) || string.IsNullOrWhiteSpace(KeyPath),
            "Tls:KeyPath is set but Tls:CertificatePath is not: set both (PEM files), or neither for a self-signed certificate.");
        if (!string.IsNullOrWhiteSpace(CertificatePath))
        {
            check.That(File.Exists(CertificatePath), $"Tls:CertificatePath '{CertificatePath}' does not exist.");
        }

        if (!string.IsNullOrWhiteSpace(KeyPath))
        {
            check.That(File.Exists(KeyPath), $"Tls:KeyPath '{KeyPath}' does not exist.");
        }
    }
}
