using System.Globalization;

namespace SocketHub.Server.Hosting;

/// <summary>
/// The process's open-file limit (<c>ulimit -n</c>), which every connection counts against. When
/// the runtime runs out of descriptors it cannot even make the pipes it needs and aborts the
/// process; the default connection cap is derived from this limit so that never happens.
/// </summary>
public static class OpenFileLimit
{
    /// <summary>Descriptors kept back, beyond those open when the cap is worked out, for everything
    /// that is not an admitted client connection and opens later: assemblies the runtime maps as it
    /// goes, the listeners, the database's pooled connections and WAL, log files, the runtime's pipes
    /// (a started server with no client holds about 300, some 130 more than at that moment), and the
    /// sockets the <see cref="AcceptCeiling"/> lets past the cap to be refused.</summary>
    public const int Reserve = 384;

    /// <summary>Descriptors this process has open now; null when it cannot tell (not Linux).</summary>
    public static int? OpenNow()
    {
        try
        {
            return Directory.GetFileSystemEntries("/proc/self/fd").Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The soft limit from <c>/proc/self/limits</c>; null when it cannot be read (not Linux) or is unlimited.</summary>
    public static long? Soft()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (!line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    continue;
                }

                var words = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return words.Length > 0 && long.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux: no cap derived from the limit.
        }

        return null;
    }

    /// <summary>
    /// The default for <c>Limits:MaxConnections</c>: the open-file limit less what is open now and
    /// a reserve (an eighth of the limit, at least <see cref="Reserve"/>), at least 16; 10,000
    /// when the limit is unknown.
    /// </summary>
    public static int DefaultMaxConnections(long? soft, int? openNow) =>
        soft is { } limit
            ? (int)Math.Clamp(limit - (openNow ?? 0) - Math.Max(Reserve, limit / 8), 16, int.MaxValue)
            : 10_000;
}
