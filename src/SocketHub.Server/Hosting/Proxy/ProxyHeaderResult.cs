using System.Net;

namespace SocketHub.Server.Hosting.Proxy;

/// <summary>What the bytes read so far make of a PROXY protocol header.</summary>
public enum ProxyHeaderStatus
{
    /// <summary>A valid start, not yet the whole header: read more.</summary>
    Incomplete,

    /// <summary>A whole, valid header of <see cref="ProxyHeaderResult.Length"/> bytes.</summary>
    Complete,

    /// <summary>Not a valid header (<see cref="ProxyHeaderResult.Problem"/> says why): the connection must be dropped.</summary>
    Invalid,
}

/// <summary>
/// The outcome of parsing the start of a connection as a PROXY protocol header: on
/// <see cref="ProxyHeaderStatus.Complete"/>, how many bytes the header took (the bytes after it
/// belong to the dialect) and the client's address, or null when the header says to keep the
/// connection's own (a v2 LOCAL health check, v1 UNKNOWN, an unspecified or UNIX family).
/// </summary>
public readonly record struct ProxyHeaderResult(ProxyHeaderStatus Status, int Length, IPEndPoint? Source, string? Problem)
{
    public static ProxyHeaderResult Incomplete => new(ProxyHeaderStatus.Incomplete, 0, null, null);

    public static ProxyHeaderResult Complete(int length, IPEndPoint? source) => new(ProxyHeaderStatus.Complete, length, source, null);

    /// <summary>
    /// <paramref name="problem"/> is one of a few fixed texts, never the client's bytes: the log
    /// summarises refusals by it.
    /// </summary>
    public static ProxyHeaderResult Invalid(string problem) => new(ProxyHeaderStatus.Invalid, 0, null, problem);
}
