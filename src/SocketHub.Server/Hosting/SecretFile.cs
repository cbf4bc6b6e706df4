using System.Text;

namespace SocketHub.Server.Hosting;

/// <summary>
/// A secret the server makes once and keeps in the data folder (the crypto key, the secure
/// chat's RSA key, the TLS key): written owner-only and whole, or not at all.
/// </summary>
internal static class SecretFile
{
    /// <summary>
    /// The secret's text, made with <paramref name="make"/> and kept first when the file does not
    /// exist yet (<paramref name="created"/> then says so, unless another process won the race).
    /// A file that cannot be read or written stops the start, naming <paramref name="what"/>.
    /// </summary>
    public static string ReadOrCreate(string path, Func<string> make, string what, out bool created)
    {
        created = !File.Exists(path) && TryCreate(path, make(), what);
        try
        {
            return File.ReadAllText(path, Encoding.ASCII);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidSettingsException($"Invalid settings: the {what} {path} cannot be read: {e.Message}");
        }
    }

    /// <summary>
    /// Writes the non-secret companion of a secret (the TLS certificate beside its key) whole, in
    /// place of any earlier one, readable by all.
    /// </summary>
    public static void WritePublic(string path, string contents, string what) =>
        Write(path, contents, what, ownerOnly: false, overwrite: true);

    /// <summary>
    /// Writes <paramref name="contents"/> to a temporary file readable by the owner only, syncs
    /// it, then moves it into place, so a crash never leaves half a secret behind. False when
    /// another process got there first (its secret wins); a file that cannot be written stops the
    /// start, naming <paramref name="what"/>.
    /// </summary>
    private static bool TryCreate(string path, string contents, string what) =>
        Write(path, contents, what, ownerOnly: true, overwrite: false);

    private static bool Write(string path, string contents, string what, bool ownerOnly, bool overwrite)
    {
        var temporary = path + ".new";
        try
        {
            File.Delete(temporary);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = ownerOnly
                    ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                    : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(contents));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite);
            return true;
        }
        catch (IOException) when (!overwrite && File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidSettingsException($"Invalid settings: the {what} {path} cannot be created: {e.Message}");
        }
    }

    /// <summary>True when others than the owner may read the file (worth a warning).</summary>
    public static bool OthersMayRead(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0;
}
