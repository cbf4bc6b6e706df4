using System.Globalization;
using System.Text;
using SocketHub.Protocol.Board;

namespace SocketHub.Protocol.History;

/// <summary>
/// The lines the history holds, as the original wrote them with Python's <c>str()</c> of a dict:
/// <c>{'127.0.0.1': 'alice 2026-11-21 12:00:00.123456'}</c>.
/// </summary>
public static class HistoryLogLine
{
    /// <summary>Python's <c>str(datetime)</c> layout, always with microseconds.</summary>
    public const string TimestampFormat = "yyyy-MM-dd HH:mm:ss.ffffff";

    /// <summary>
    /// The line logged for every request. Both strings are written as CPython's <c>repr()</c>,
    /// so a user word holding a quote, a backslash or a control character still gives a valid
    /// Python dict literal; for ordinary words this is exactly the original's format.
    /// </summary>
    public static string Request(string remoteIp, string user, DateTimeOffset localTime)
    {
        ArgumentNullException.ThrowIfNull(remoteIp);
        ArgumentNullException.ThrowIfNull(user);
        var sb = new StringBuilder(64 + user.Length);
        sb.Append('{');
        PythonRepr.AppendString(sb, remoteIp);
        sb.Append(": ");
        PythonRepr.AppendString(sb, user + " " + Timestamp(localTime));
        return sb.Append('}').ToString();
    }

    /// <summary>The first line after operation 3: <c>delete_all by alice at 2026-11-21 12:00:00.123456</c>.</summary>
    public static string DeleteAll(string user, DateTimeOffset localTime) =>
        $"delete_all by {user} at {Timestamp(localTime)}";

    public static string Timestamp(DateTimeOffset localTime) =>
        localTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);
}
