using System.Reflection;
using System.Runtime.Loader;

namespace SocketHub.Server.Data;

/// <summary>
/// The package mirror this project builds from holds SQLitePCLRaw 2.0.6 only, while the EF Core 10
/// SQLite provider was compiled against 2.1. The 2.0.6 API that Microsoft.Data.Sqlite calls is the
/// same, so when the runtime fails to find the 2.1 assembly we hand it the loaded 2.0.6 one, and we
/// pick the native provider ourselves (no "bundle" package, which would set it, is referenced).
/// Call <see cref="Initialize"/> before anything touches SQLite.
/// </summary>
public static class SqliteNativeShim
{
    private static int _initialized;

    public static void Initialize()
    {
        if (Interlocked.Exchange(ref _initialized, 1) == 1)
        {
            return;
        }

        Assembly core = typeof(SQLitePCL.raw).Assembly;
        AssemblyLoadContext.Default.Resolving += (_, name) =>
            name.Name == "SQLitePCLRaw.core" ? core : null;
        SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_e_sqlite3());
    }
}
