using SocketHub.Server.Board;
using SocketHub.Server.History;
using SocketHub.Server.Crypto;
using SocketHub.Server.Chat;

namespace SocketHub.Server.Hosting;

/// <summary><c>Listen:*</c>: where every listener binds.</summary>
public sealed class ListenSettings
{
    public string Address { get; set; } = "0.0.0.0";
}

/// <summary><c>Storage:*</c>: the folder for the SQLite database, log files and key file.</summary>
public sealed class StorageSettings
{
    public string DataDirectory { get; set; } = "data";
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
    public int Port { get; set; } = 8088;

    /// <summary>When set, <c>GET /audit</c> needs <c>Authorization: Bearer &lt;token&gt;</c>; when
    /// empty, it answers only to clients on this machine.</summary>
    public string? AuditToken { get; set; }
}

/// <summary>Every setting the server reads, bound and validated once at start.</summary>
public sealed record ServerSettings(
    ListenSettings Listen,
    StorageSettings Storage,
    LimitsSettings Limits,
    OpsSettings Ops,
    BoardSettings Board,
    HistorySettings History,
    CryptoSettings Crypto,
    ChatSettings Chat)
{
    /// <summary>Every listener's port setting, by key.</summary>
    public IReadOnlyList<(string Key, int Port)> Ports =>
    [
        ("Ops:Port", Ops.Port),
        ("Board:Port", Board.Port),
        ("History:Port", History.Port),
        ("Crypto:Port", Crypto.Port),
        ("Chat:Port", Chat.Port),
        ("Chat:JsonPort", Chat.JsonPort),
        ("Chat:SecurePort", Chat.SecurePort),
    ];
}
