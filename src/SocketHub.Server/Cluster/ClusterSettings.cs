using System.Globalization;
using SocketHub.Server.Hosting;
using StackExchange.Redis;

namespace SocketHub.Server.Cluster;

/// <summary>What carries the chat between nodes: nothing (one node, the default) or Redis.</summary>
public enum Backplane { None, Redis }

/// <summary>
/// <c>Chat:Backplane</c>, <c>ConnectionStrings:Redis</c> and <c>Cluster:*</c>: whether this node
/// is one of several sharing a Redis, how to reach it, and how this node names and announces
/// itself. With the default backplane (none) nothing here is used and nothing connects.
/// </summary>
public sealed class ClusterSettings
{
    public const string BackplaneKey = "Chat:Backplane";
    public const string RedisKey = "ConnectionStrings:Redis";
    public const string NodeIdKey = "Cluster:NodeId";
    public const string AddressKey = "Cluster:Address";
    public const string HeartbeatKey = "Cluster:HeartbeatSeconds";
    public const string NodeTtlKey = "Cluster:NodeTtlSeconds";
    public const string SessionTtlKey = "Cluster:SessionTtlSeconds";

    public const double DefaultHeartbeatSeconds = 5;
    public const double DefaultTtlSeconds = 15;

    public Backplane Backplane { get; private init; }

    /// <summary>The parsed <c>ConnectionStrings:Redis</c> (null unless the backplane is redis); it may hold a password, so it is never logged.</summary>
    public ConfigurationOptions? Redis { get; private init; }

    /// <summary>This node's name in the registry and in its session claims; unique among the nodes.</summary>
    public string NodeId { get; private init; } = "";

    /// <summary>Where the node can be reached, as the registry shows it (the host name unless set).</summary>
    public string Address { get; private init; } = "";

    /// <summary>How often the node rewrites its registry entry and refreshes its session claims.</summary>
    public TimeSpan Heartbeat { get; private init; }

    /// <summary>How long a node's entry outlives its last heartbeat: a node that dies is gone from the registry within this.</summary>
    public TimeSpan NodeTtl { get; private init; }

    /// <summary>How long a session claim outlives its last refresh: a dead node's accounts can log in elsewhere within this.</summary>
    public TimeSpan SessionTtl { get; private init; }

    public bool Enabled => Backplane == Backplane.Redis;

    /// <summary>Reads and checks every setting, recording problems by key in <paramref name="check"/> (never the connection string's text).</summary>
    public static ClusterSettings Load(IConfiguration configuration, SettingsCheck check)
    {
        var backplane = Backplane.None;
        var text = configuration[BackplaneKey];
        if (!string.IsNullOrWhiteSpace(text) && !Enum.TryParse(text.Trim(), ignoreCase: true, out backplane))
        {
            check.Problem($"{BackplaneKey} must be none or redis (got '{text}').");
        }

        var heartbeat = Seconds(configuration, check, HeartbeatKey, DefaultHeartbeatSeconds);
        var nodeTtl = Seconds(configuration, check, NodeTtlKey, DefaultTtlSeconds);
        var sessionTtl = Seconds(configuration, check, SessionTtlKey, DefaultTtlSeconds);
        check.That(nodeTtl > heartbeat, $"{NodeTtlKey} must be longer than {HeartbeatKey}, or a live node would drop out between heartbeats.");
        check.That(sessionTtl > heartbeat, $"{SessionTtlKey} must be longer than {HeartbeatKey}, or a live session's claim would lapse between heartbeats.");

        ConfigurationOptions? redis = null;
        if (backplane == Backplane.Redis)
        {
            var connection = configuration[RedisKey];
            if (string.IsNullOrWhiteSpace(connection))
            {
                check.Problem($"{RedisKey} must be set when {BackplaneKey} is redis (for example localhost:6379).");
            }
            else
            {
                try
                {
                    redis = ConfigurationOptions.Parse(connection);
                    // A Redis that is down at start must not stop the node: the multiplexer keeps trying.
                    redis.AbortOnConnectFail = false;
                    if (redis.EndPoints.Count == 0)
                    {
                        check.Problem($"{RedisKey} names no Redis server (host:port).");
                    }
                }
                catch (ArgumentException)
                {
                    // The parser's message quotes the text, which may hold a password.
                    check.Problem($"{RedisKey} is not a Redis connection string (host:port, then options such as password=...).");
                }
            }
        }

        var nodeId = configuration[NodeIdKey];
        if (string.IsNullOrWhiteSpace(nodeId))
        {
            nodeId = DefaultNodeId();
        }
        else if (nodeId.Any(c => char.IsWhiteSpace(c) || c == ':'))
        {
            // The id is part of every claim's value (<node>:<session>), so it may not hold the separator.
            check.Problem($"{NodeIdKey} may not contain spaces or ':' (got '{nodeId}').");
        }

        var address = configuration[AddressKey];
        return new ClusterSettings
        {
            Backplane = backplane,
            Redis = redis,
            NodeId = nodeId.Trim(),
            Address = string.IsNullOrWhiteSpace(address) ? Environment.MachineName : address.Trim(),
            Heartbeat = TimeSpan.FromSeconds(heartbeat),
            NodeTtl = TimeSpan.FromSeconds(nodeTtl),
            SessionTtl = TimeSpan.FromSeconds(sessionTtl),
        };
    }

    /// <summary>An endpoint as host:port (a DnsEndPoint's own text starts with its address family).</summary>
    public static string Describe(System.Net.EndPoint? endpoint) => endpoint switch
    {
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        null => "?",
        _ => endpoint.ToString() ?? "?",
    };

    /// <summary>The host name and a short random suffix, so two nodes started on one machine (or from one image) differ.</summary>
    public static string DefaultNodeId() =>
        $"{Environment.MachineName}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}";

    private static double Seconds(IConfiguration configuration, SettingsCheck check, string key, double fallback)
    {
        if (configuration[key] is not { } text)
        {
            return fallback;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0.1 and <= 3600)
        {
            return seconds;
        }

        check.Problem($"{key} must be a number of seconds from 0.1 to 3600 (got '{text}').");
        return fallback;
    }
}
