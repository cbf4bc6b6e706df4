using System.Globalization;
using System.Net;

namespace SocketHub.Server.Hosting.Proxy;

/// <summary>
/// <c>Listen:TrustedProxies</c> and <c>Listen:ProxyHeaderTimeoutSeconds</c>: which peers are load
/// balancers that start every connection with a PROXY protocol header, and how long one may take
/// to send it. With no trusted proxy (the default) no header is read from anyone.
/// </summary>
public sealed class ProxyProtocolSettings(TrustedProxies trusted, TimeSpan headerTimeout)
{
    public const string TrustedProxiesKey = "Listen:TrustedProxies";
    public const string HeaderTimeoutKey = "Listen:ProxyHeaderTimeoutSeconds";
    public const double DefaultHeaderTimeoutSeconds = 5;

    public TrustedProxies Trusted { get; } = trusted;

    /// <summary>How long a trusted proxy may take to send the whole header before its connection is closed.</summary>
    public TimeSpan HeaderTimeout { get; } = headerTimeout;

    public bool Enabled => Trusted.Any;

    /// <summary>
    /// Reads both settings, recording in <paramref name="check"/> every entry that is not an
    /// address or network (by its key and text). The list may be given as entries
    /// (<c>Listen:TrustedProxies:0</c>, a JSON array) or as one comma-separated value
    /// (<c>--Listen:TrustedProxies=10.0.0.11,10.0.0.12</c>, an environment variable), or both.
    /// </summary>
    public static ProxyProtocolSettings Load(IConfiguration configuration, SettingsCheck check)
    {
        var section = configuration.GetSection(TrustedProxiesKey);
        var entries = new List<(string Key, string Entry)>();
        Add(entries, TrustedProxiesKey, section.Value);
        foreach (var child in section.GetChildren())
        {
            Add(entries, child.Path, child.Value);
        }

        var networks = new List<IPNetwork>();
        foreach (var (key, entry) in entries)
        {
            if (TrustedProxies.TryParseEntry(entry, out var network, out var problem))
            {
                networks.Add(network);
            }
            else
            {
                check.Problem($"{key}: {problem}.");
            }
        }

        var seconds = DefaultHeaderTimeoutSeconds;
        if (configuration[HeaderTimeoutKey] is { } text
            && !(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) && seconds is >= 0.1 and <= 300))
        {
            check.Problem($"{HeaderTimeoutKey} must be a number of seconds from 0.1 to 300 (got '{text}').");
            seconds = DefaultHeaderTimeoutSeconds;
        }

        return new ProxyProtocolSettings(new TrustedProxies(networks), TimeSpan.FromSeconds(seconds));
    }

    /// <summary>Says at start, once, that headers are read and from whom; nothing when the feature is off.</summary>
    internal void LogAtStart(ILogger logger)
    {
        if (Enabled)
        {
            ProxyLog.Enabled(logger, string.Join(", ", Trusted.Networks), HeaderTimeout.TotalSeconds);
        }
    }

    private static void Add(List<(string Key, string Entry)> entries, string key, string? value)
    {
        foreach (var entry in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            entries.Add((key, entry));
        }
    }
}
