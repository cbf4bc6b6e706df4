using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace SocketHub.FaultTests;

/// <summary>
/// What must hold after every fault: the server still answers /health, its memory is bounded,
/// and its log file has no error entries and no line that does not start like a log entry.
/// </summary>
public static partial class ServerChecks
{
    /// <summary>A generous ceiling for the server's resident memory: a leak per connection would pass it, normal use never does.</summary>
    public const long MemoryCeilingBytes = 400L * 1024 * 1024;

    public static async Task AssertHealthyAsync(int opsPort)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{opsPort}"), Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"Healthy\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The resident set of a server process, from /proc/&lt;pid&gt;/status.</summary>
    public static void AssertMemoryBounded(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kilobytes = long.Parse(Digits().Match(line).Value, CultureInfo.InvariantCulture);
        Assert.True(kilobytes * 1024 < MemoryCeilingBytes, $"The server's resident memory is {kilobytes / 1024} MB, over {MemoryCeilingBytes / 1024 / 1024} MB.");
    }

    /// <summary>For an in-process server: the test process's working set, now, against the one before the fault.</summary>
    public static long WorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    public static void AssertMemoryBounded(long workingSetBefore)
    {
        var growth = WorkingSet() - workingSetBefore;
        Assert.True(growth < MemoryCeilingBytes, $"The working set grew by {growth / 1024 / 1024} MB during the fault.");
    }

    /// <summary>Every line of the server's log files under <paramref name="dataDirectory"/>.</summary>
    public static List<string> LogLines(string dataDirectory)
    {
        var folder = Path.Combine(dataDirectory, "logs");
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "sockethub-*.log") : [];
        var lines = new List<string>();
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            // The server may still be writing: share the file with it.
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            lines.AddRange(reader.ReadToEnd().Split('\n').Where(l => l.Length > 0).Select(l => l.TrimEnd('\r')));
        }

        return lines;
    }

    /// <summary>
    /// The log has no error, fatal or unhandled-exception entry, every line starts with the file
    /// format's timestamp and level (SerilogSetup.FileTemplate; an exception's stack would be the
    /// only continuation, and it only follows an error entry), and no character that a terminal or
    /// a log viewer takes as a line break or a control sequence made it in raw.
    /// </summary>
    public static void AssertLogClean(string dataDirectory)
    {
        var lines = LogLines(dataDirectory);
        Assert.NotEmpty(lines);
        var bad = lines.Where(l => EntryStart().Match(l) is not { Success: true } entry
                || entry.Groups[1].Value is "ERR" or "FTL"
                || l.Contains("Unhandled", StringComparison.OrdinalIgnoreCase)
                || l.Contains("fail:", StringComparison.Ordinal)
                || l.AsSpan().IndexOfAny(RawBreaks) >= 0)
            .Take(20)
            .ToList();
        Assert.True(bad.Count == 0, "Log lines that should not be there:\n" + string.Join('\n', bad));
    }

    /// <summary>An out-of-process server wrote nothing to stderr (where .NET prints an unhandled exception that kills a process).</summary>
    public static void AssertNoStandardError(string serverOutput)
    {
        var errors = serverOutput.Split('\n').Where(l => l.StartsWith("stderr|", StringComparison.Ordinal)).Take(20).ToList();
        Assert.True(errors.Count == 0, "The server wrote to stderr:\n" + string.Join('\n', errors));
    }

    private static readonly System.Buffers.SearchValues<char> RawBreaks = System.Buffers.SearchValues.Create("\u001b\u0085\u2028\u2029\r\0");

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} [+-]\d{2}:\d{2} \[(VRB|DBG|INF|WRN|ERR|FTL)\] ")]
    private static partial Regex EntryStart();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
