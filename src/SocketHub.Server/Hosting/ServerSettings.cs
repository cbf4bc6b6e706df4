namespace SocketHub.Server.Hosting;

/// <summary><c>Listen:*</c>: where every listener binds.</summary>
public sealed class ListenSettings
{
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>
    /// Added to every port that is set (not 0), the ops port included: a second server on the same
    /// machine, or a benchmark, moves all its ports at once (<c>--Listen:PortOffset=20000</c>).
    /// </summary>
    public int PortOffset { get; set; }

    /// <summary>The port to bind for a configured <paramref name="port"/>: 0 stays "any free port".</summary>
    public int Effective(int port) => port == 0 ? 0 : port + PortOffset;

    /// <summary>
    /// The TLS port beside the plain port <paramref name="plain"/>, or null for none: a TLS port
    /// set to 0 turns TLS off for that listener; unset, it is <paramref name="defaultTls"/> (the
    /// plain port + 10000 when not given), or any free port when the plain one is.
    /// </summary>
    public int? EffectiveTls(int plain, int? tls, int? defaultTls = null) =>
        tls == 0 ? null
        : tls is { } set ? Effective(set)
        : plain == 0 ? 0
        : Effective(defaultTls ?? plain + TlsPortDistance);

    /// <summary>How far a dialect's TLS port is from its plain one by default (8080 → 18080).</summary>
    public const int TlsPortDistance = 10000;
}

/// <summary><c>Storage:*</c>: the folder for the SQLite database, log files and key file, and which database to use.</summary>
public sealed class StorageSettings
{
    public string DataDirectory { get; set; } = "data";

    /// <summary>SQLite (the default: a file in <see cref="DataDirectory"/>) or PostgreSQL.</summary>
    public Data.StorageProvider Provider { get; set; } = Data.StorageProvider.Sqlite;

    /// <summary>
    /// With <see cref="Data.StorageProvider.Postgres"/>, the database <c>ConnectionStrings:SocketHub</c>
    /// names (read and checked by <see cref="Validate"/>, not bound: the private setter keeps the
    /// binder away); null with SQLite.
    /// </summary>
    public Data.PostgresTarget? Postgres { get; private set; }

    internal void Validate(IConfiguration configuration, SettingsCheck check)
    {
        check.That(!string.IsNullOrWhiteSpace(DataDirectory), "Storage:DataDirectory must name a folder.");
        if (!Enum.IsDefined(Provider))
        {
            check.Problem($"Storage:Provider must be Sqlite or Postgres (got '{Provider}').");
        }
        else if (Provider == Data.StorageProvider.Postgres)
        {
            Postgres = Data.PostgresTarget.Parse(configuration.GetConnectionString("SocketHub"), out var problem);
            if (problem is not null)
            {
                check.Problem(problem);
            }
        }
    }
}

/// <summary><c>Limits:*</c>: limits every dialect shares.</summary>
public sealed class LimitsSettings
{
    /// <summary>Concurrent connections per remote address, over all dialects. A classroom
    /// behind one NAT shares an address, hence a generous default.</summary>
    public int ConnectionsPerAddress { get; set; } = 200;

    /// <summary>Open connections over all ports together; 0 (the default): the open-file limit
    /// (<c>ulimit -n</c>) less what is open at start and a reserve, so the process never runs out
    /// of file descriptors.</summary>
    public int MaxConnections { get; set; }

    /// <summary>The cap in force: <see cref="MaxConnections"/>, or the one derived from the open-file limit.</summary>
    public int EffectiveMaxConnections => MaxConnections > 0 ? MaxConnections : OpenFileLimit.DefaultMaxConnections(OpenFileLimit.Soft(), OpenFileLimit.OpenNow());
}

/// <summary><c>Ops:*</c>: the HTTP side-car.</summary>
public sealed class OpsSettings
{
    public const string PortKey = "Ops:Port";
    public const string TlsPortKey = "Ops:TlsPort";
    public const int DefaultTlsPort = 8443;

    public int Port { get; set; } = 8088;

    /// <summary>HTTPS beside the plain HTTP port; unset: 8443 (any free port when <see cref="Port"/> is 0); 0: none.</summary>
    public int? TlsPort { get; set; }

    /// <summary>When set, <c>GET /audit</c> needs <c>Authorization: Bearer &lt;token&gt;</c>; when
    /// empty, it answers only to clients on this machine.</summary>
    public string? AuditToken { get; set; }
}

/// <summary>
/// The settings every part shares, bound and checked once at start. Each dialect's own section
/// (<c>Board:*</c>, <c>Chat:*</c>, ...) is bound by its module and registered on its own.
/// </summary>
public sealed record ServerSettings(
    ListenSettings Listen,
    StorageSettings Storage,
    LimitsSettings Limits,
    OpsSettings Ops,
    Tls.TlsSettings Tls);
