using System.Globalization;
using System.Text;
using SocketHub.Protocol.Board;

namespace SocketHub.Protocol.History;

/// <summary>
/// The lines the history holds, as the original wrote them: Python's <c>str()</c> of the dict it
/// kept for the connection, <c>{'127.0.0.1': 'alice 2026-11-21 12:00:00.123456'}</c>, and the
/// line that <c>delete_all</c> left behind.
/// </summary>
public static class HistoryLogLine
{
    /// <summary>
    /// The line logged for every request: the address and the user word with the time.
    /// </summary>
    public static string Request(string remoteIp, string user, DateTimeOffset localTime) =>
        Dict((remoteIp, RequestValue(user, localTime)));

    /// <summary>
    /// The line the original logged after operation 1: its dict for the connection, which by then
    /// also holds the user's entry, <c>{'127.0.0.1': 'alice &lt;time&gt;', 'alice': 'Deleted at: 3'}</c>.
    /// <paramref name="requestTime"/> is the time of the request's own line, which the dict still holds.
    /// </summary>
    public static string Deleted(string remoteIp, string user, DateTimeOffset requestTime, string lineText) =>
        Dict((remoteIp, RequestValue(user, requestTime)), (user, $"Deleted at: {lineText}"));

    /// <summary>
    /// The line the original logged after operation 2 (the address's entry replaced):
    /// <c>{'127.0.0.1': 'alice got history at &lt;time&gt;'}</c>.
    /// </summary>
    public static string GotHistory(string remoteIp, string user, DateTimeOffset localTime) =>
        Dict((remoteIp, $"{user} got history at {Timestamp(localTime)}"));

    /// <summary>The first line after operation 3: <c>delete_all by alice at 2026-11-21 12:00:00.123456</c>.</summary>
    public static string DeleteAll(string user, DateTimeOffset localTime) =>
        $"delete_all by {user} at {Timestamp(localTime)}";

    /// <summary>
    /// Python's <c>str(datetime)</c>: <c>2026-11-21 12:00:00.123456</c>, and without the fraction
    /// when the microseconds are exactly 0 (<c>2026-11-21 12:00:00</c>), as Python prints it.
    /// </summary>
    public static string Timestamp(DateTimeOffset localTime)
    {
        var microseconds = localTime.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond;
        return localTime.ToString(microseconds == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
    }

    private static string RequestValue(string user, DateTimeOffset localTime) => user + " " + Timestamp(localTime);

    /// <summary>
    /// Python's <c>str()</c> of a dict of strings built by <c>update</c> calls in this order: keys
    /// and values as <c>repr()</c> writes them, and a key given twice keeps its first place with
    /// the last value.
    /// </summary>
    private static string Dict(params (string Key, string Value)[] updates)
    {
        var entries = new List<(string Key, string Value)>(updates.Length);
        foreach (var (key, value) in updates)
        {
            var at = entries.FindIndex(e => e.Key == key);
            if (at >= 0)
            {
                entries[at] = (key, value);
            }
            else
            {
                entries.Add((key, value));
            }
        }

        var sb = new StringBuilder("{");
        for (var i = 0; i < entries.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            PythonRepr.AppendString(sb, entries[i].Key);
            sb.Append(": ");
            PythonRepr.AppendString(sb, entries[i].Value);
        }

        return sb.Append('}').ToString();
    }
}
