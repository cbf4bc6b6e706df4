using Microsoft.Win32.SafeHandles;

namespace SocketHub.Server.Data;

/// <summary>The database file the server opened is no longer at its path (deleted or replaced).</summary>
public sealed class DatabaseFileGoneException(string file)
    : InvalidOperationException($"The database file {file} is no longer the one the server opened (deleted or replaced); nothing more is stored. Restart the server (restore the data folder from a backup first if the files were lost).");

/// <summary>
/// Notices when the database file is deleted or replaced under the running server. SQLite keeps
/// writing to the file it has open, which is then no longer reachable by name: every write would
/// be acknowledged and be gone after a restart. The guard holds its own handle on the file opened
/// at start and, before each database connection is used, compares it with what the path names
/// now; when they differ, the use fails, so nothing more is acknowledged and /health/ready says 503.
/// </summary>
public sealed class DatabaseFileGuard(string file) : IDisposable
{
    private readonly Lock _lock = new();
    private SafeFileHandle? _opened;

    public string File { get; } = file;

    /// <summary>Throws <see cref="DatabaseFileGoneException"/> unless the path still names the file first opened.</summary>
    public void Check()
    {
        lock (_lock)
        {
            if (_opened is null)
            {
                // The first connection has just created or opened the file: this is the one.
                _opened = System.IO.File.OpenHandle(File, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                return;
            }

            if (!StillThere(_opened))
            {
                throw new DatabaseFileGoneException(File);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _opened?.Dispose();
        }
    }

    private bool StillThere(SafeFileHandle opened)
    {
        if (!OperatingSystem.IsLinux())
        {
            return System.IO.File.Exists(File);
        }

        // /proc/self/fd/N names the file our descriptor refers to, with " (deleted)" appended once
        // it is unlinked, whether deleted or replaced by another file renamed over it.
        var target = new FileInfo($"/proc/self/fd/{opened.DangerousGetHandle()}").LinkTarget;
        return target == Path.GetFullPath(File);
    }
}
