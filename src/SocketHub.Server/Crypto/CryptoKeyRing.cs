using SocketHub.Protocol.Crypto;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Crypto;

/// <summary>
/// The keys the crypto dialect uses. On first start the server generates a key and keeps it in
/// <c>crypto.key</c> in the data folder (owner-only permissions), so tokens survive restarts.
/// When <c>Crypto:Keys</c> lists keys, the first of them encrypts and every one of them decrypts,
/// and the generated key still decrypts too, so tokens made before the rotation keep working.
/// The key ring is built once, at start; a key file that cannot be read stops the server.
/// </summary>
public sealed class CryptoKeyRing
{
    public const string FileName = "crypto.key";

    public CryptoKeyRing(ServerSettings server, CryptoSettings settings, ILogger<CryptoKeyRing> logger)
    {
        var stored = LoadOrCreate(Path.Combine(server.Storage.DataDirectory, FileName), logger);
        var configured = settings.Keys
            .Select(k => FernetKey.TryParse(k, out var key) ? key : throw new InvalidSettingsException("Invalid settings: Crypto:Keys"))
            .ToList();

        Current = configured.Count > 0 ? configured[0] : stored;
        All = [.. configured, stored];
        CryptoLog.KeysReady(logger, configured.Count, configured.Count > 0 ? "Crypto:Keys:0" : FileName);
    }

    /// <summary>The key that encrypts, and that <c>#gk##</c> tells.</summary>
    public FernetKey Current { get; }

    /// <summary>Every key that decrypts, the current one first.</summary>
    public IReadOnlyList<FernetKey> All { get; }

    private static FernetKey LoadOrCreate(string path, ILogger logger)
    {
        var text = SecretFile.ReadOrCreate(path, () => FernetKey.Generate().Encode() + "\n", "crypto key file", out var created);
        if (created)
        {
            CryptoLog.KeyGenerated(logger, path);
        }

        if (!FernetKey.TryParse(text, out var key))
        {
            throw new InvalidSettingsException(
                $"Invalid settings: the crypto key file {path} does not hold a Fernet key. Restore it from a backup, " +
                "or delete it to have a new key generated (tokens made with the old key will no longer decrypt).");
        }

        if (SecretFile.OthersMayRead(path))
        {
            CryptoLog.KeyFileReadable(logger, path);
        }

        return key;
    }
}
