using System.Text;
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

    public CryptoKeyRing(ServerSettings settings, ILogger<CryptoKeyRing> logger)
    {
        var stored = LoadOrCreate(Path.Combine(settings.Storage.DataDirectory, FileName), logger);
        var configured = settings.Crypto.Keys
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
        if (!File.Exists(path))
        {
            Create(path, logger);
        }

        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.ASCII);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidSettingsException($"Invalid settings: the crypto key file {path} cannot be read: {e.Message}");
        }

        if (!FernetKey.TryParse(text, out var key))
        {
            throw new InvalidSettingsException(
                $"Invalid settings: the crypto key file {path} does not hold a Fernet key. Restore it from a backup, " +
                "or delete it to have a new key generated (tokens made with the old key will no longer decrypt).");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
        {
            CryptoLog.KeyFileReadable(logger, path);
        }

        return key;
    }

    /// <summary>
    /// Writes a new key to a temporary file readable by the owner only, syncs it, then moves it
    /// into place, so a crash never leaves half a key behind; if another process got there
    /// first, its key wins.
    /// </summary>
    private static void Create(string path, ILogger logger)
    {
        var temporary = path + ".new";
        try
        {
            File.Delete(temporary);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(FernetKey.Generate().Encode() + "\n"));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: false);
            CryptoLog.KeyGenerated(logger, path);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidSettingsException($"Invalid settings: the crypto key file {path} cannot be created: {e.Message}");
        }
    }
}
