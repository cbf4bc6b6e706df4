using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace SocketHub.Protocol.SecureChat;

/// <summary>
/// Public keys as the secure chat exchanges them: PEM text, as Python's
/// <c>public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)</c> writes it and
/// <c>load_pem_public_key</c> reads it.
/// </summary>
public static class SecureChatKeys
{
    /// <summary>The server's own key size, the original's.</summary>
    public const int ServerKeyBits = 2048;

    /// <summary>Smallest client key accepted: the original's size, and enough room for a useful message.</summary>
    public const int MinKeyBits = 2048;

    /// <summary>Largest client key accepted: bounds the server's work per message it encrypts.</summary>
    public const int MaxKeyBits = 4096;

    private const string SpkiLabel = "PUBLIC KEY";
    private const string Pkcs1Label = "RSA PUBLIC KEY";

    /// <summary>
    /// The key as PEM SubjectPublicKeyInfo, byte for byte as Python's cryptography writes it:
    /// lines of 64 base64 characters, <c>\n</c> line ends, a final <c>\n</c> (451 bytes for RSA-2048).
    /// </summary>
    public static string ExportPublicKeyPem(RSA key) => key.ExportSubjectPublicKeyInfoPem() + "\n";

    /// <summary>
    /// Reads a client's public key: one PEM block, labelled <c>PUBLIC KEY</c> (SubjectPublicKeyInfo,
    /// what the original client sends) or <c>RSA PUBLIC KEY</c> (PKCS#1, which Python's loader
    /// also takes), holding an RSA key of <see cref="MinKeyBits"/>-<see cref="MaxKeyBits"/> bits
    /// (OpenSSL refuses an even or trivial public exponent on import). False, with the reason,
    /// otherwise; a private key is refused, never imported.
    /// </summary>
    public static bool TryImportPublicKey(string pem, [NotNullWhen(true)] out RSA? key, out string problem)
    {
        key = null;
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            problem = "the key is not PEM text (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)";
            return false;
        }

        if (pem.AsSpan(0, fields.Location.Start.Value).Trim().Length > 0 || pem.AsSpan(fields.Location.End.Value).Trim().Length > 0)
        {
            problem = "the key has text before or after its PEM block";
            return false;
        }

        var label = pem.AsSpan(fields.Label);
        var isSpki = label.SequenceEqual(SpkiLabel);
        if (!isSpki && !label.SequenceEqual(Pkcs1Label))
        {
            problem = $"the PEM block is labelled '{Shorten(label)}', not PUBLIC KEY";
            return false;
        }

        var der = Convert.FromBase64String(pem[fields.Base64Data]);
        var rsa = RSA.Create();
        try
        {
            int read;
            try
            {
                if (isSpki)
                {
                    rsa.ImportSubjectPublicKeyInfo(der, out read);
                }
                else
                {
                    rsa.ImportRSAPublicKey(der, out read);
                }
            }
            catch (CryptographicException)
            {
                problem = isSpki ? "the PEM block is not an RSA public key" : "the PEM block is not a PKCS#1 RSA public key";
                return false;
            }

            if (read != der.Length)
            {
                problem = "the PEM block has bytes after its key";
                return false;
            }

            if (rsa.KeySize is < MinKeyBits or > MaxKeyBits)
            {
                problem = $"the RSA key has {rsa.KeySize} bits; {MinKeyBits}-{MaxKeyBits} are accepted";
                return false;
            }

            key = rsa;
            rsa = null;
            problem = string.Empty;
            return true;
        }
        finally
        {
            rsa?.Dispose();
        }
    }

    private static string Shorten(ReadOnlySpan<char> label)
    {
        var text = label.Length > 40 ? string.Concat(label[..40], "...") : label.ToString();
        return string.Concat(text.Select(c => char.IsAsciiLetterOrDigit(c) || c == ' ' ? c : '?'));
    }
}
