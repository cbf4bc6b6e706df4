namespace SocketHub.Server.Hosting;

/// <summary>
/// The data folder, the database and the logs are the server's alone: accounts' password hashes,
/// the history's user words, every address that connected. On Unix the folders are made 0700 and
/// the files 0600, and those an earlier version left open to others are closed at start. Each is
/// set explicitly rather than through the process's umask, which would also hide the TLS
/// certificate (meant to be readable by all) and could not fix what already exists. A folder or
/// file the server does not own (a bind mount) cannot be changed: that is not an error, and
/// <see cref="OthersMayAccess"/> says so for the start-up warning. Nothing changes on Windows.
/// </summary>
internal static class OwnerOnlyFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates the folder (and any missing parents) owner-only, or makes an existing one so where it can.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, FolderMode);
        }

        Restrict(path);
    }

    /// <summary>Makes an existing file owner-only where it can; a missing one is left missing.</summary>
    public static void RestrictFile(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            Restrict(path);
        }
    }

    /// <summary>
    /// Creates an empty file owner-only unless it exists, then restricts it as
    /// <see cref="RestrictFile"/>. A file that cannot be made is left to whoever opens it next,
    /// whose error says why.
    /// </summary>
    public static void CreateFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileMode,
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // There already (restricted below), or not to be made here.
        }

        RestrictFile(path);
    }

    /// <summary>True when the group or others may read, write or enter <paramref name="path"/>.</summary>
    public static bool OthersMayAccess(string path) =>
        !OperatingSystem.IsWindows() && Path.Exists(path) && (File.GetUnixFileMode(path) & Others) != 0;

    /// <summary>The mode in octal (<c>644</c>), for a log line; empty on Windows.</summary>
    public static string ModeText(string path) =>
        OperatingSystem.IsWindows() ? string.Empty : Convert.ToString((int)File.GetUnixFileMode(path), 8);

    private static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & Others) != 0)
            {
                File.SetUnixFileMode(path, mode & ~Others);
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Not ours to change (a bind mount, another user's folder): the start-up check warns.
        }
    }
}
