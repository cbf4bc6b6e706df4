using System.Security.Cryptography;
using SocketHub.Protocol.SecureChat;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.SecureChat;

/// <summary>
/// The secure chat server's RSA-2048 key pair. Made once, on the first start, in
/// <c>secure-chat.key</c> in the data folder (PKCS#8 PEM, owner-only permissions), and read at
/// every start after, so it survives restarts and is backed up with the data folder.
/// Why one stored key rather than one per connection (or per run, as the original does):
/// making an RSA-2048 key costs tens to hundreds of milliseconds of CPU, which per connection
/// would let anyone keep a two-core classroom server busy just by connecting; and a key per
/// connection protects nothing more, since every message is encrypted to that one key anyway
/// (RSA key transport has no forward secrecy either way). The key is read before anything
/// listens; a file that cannot be read stops the start with its path and what to do.
/// </summary>
public sealed class SecureChatKeyStore
{
    public const string FileName = "secure-chat.key";

    private readonly byte[] _pkcs8;

    public SecureChatKeyStore(ServerSettings settings, ILogger<SecureChatKeyStore> logger)
    {
        var path = Path.Combine(settings.Storage.DataDirectory, FileName);
        using var key = LoadOrCreate(path, logger);
        _pkcs8 = key.ExportPkcs8PrivateKey();
        PublicKeyPem = SecureChatKeys.ExportPublicKeyPem(key);
        SecureChatLog.KeyReady(logger, path, Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()).AsSpan(0, 8)));
    }

    /// <summary>The public key as the server sends it in the key exchange (451 bytes of PEM).</summary>
    public string PublicKeyPem { get; }

    /// <summary>
    /// A private key object for one connection. Each connection decrypts with its own instance:
    /// .NET does not promise that one RSA object may be used from many threads at once, and an
    /// import costs microseconds.
    /// </summary>
    public RSA CreatePrivateKey()
    {
        var key = RSA.Create();
        key.ImportPkcs8PrivateKey(_pkcs8, out _);
        return key;
    }

    private static RSA LoadOrCreate(string path, ILogger logger)
    {
        var text = SecretFile.ReadOrCreate(path, NewKeyPem, "secure chat key file", out var created);
        if (created)
        {
            SecureChatLog.KeyGenerated(logger, path);
        }

        var key = RSA.Create();
        try
        {
            key.ImportFromPem(text);
            if (key.KeySize != SecureChatKeys.ServerKeyBits)
            {
                throw new CryptographicException($"the key has {key.KeySize} bits, not {SecureChatKeys.ServerKeyBits}");
            }

            // A public key alone imports too; decrypting needs the private half.
            key.ExportPkcs8PrivateKey();
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new InvalidSettingsException(
                $"Invalid settings: the secure chat key file {path} does not hold an RSA-{SecureChatKeys.ServerKeyBits} private key ({e.Message}). " +
                "Restore it from a backup, or delete it to have a new key made (clients take the new key at their next login).");
        }

        if (SecretFile.OthersMayRead(path))
        {
            SecureChatLog.KeyFileReadable(logger, path);
        }

        return key;
    }

    private static string NewKeyPem()
    {
        using var key = RSA.Create(SecureChatKeys.ServerKeyBits);
        return key.ExportPkcs8PrivateKeyPem() + "\n";
    }
}
