using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Pipeline;

/// <summary>
/// What every dialect handler knows about its connection, set once by the gate in
/// <c>connection.Features</c>: the dialect, the remote address, the dialect's counters, the
/// (counted) transport and the server's stop signal. Handlers read it instead of working each
/// of these out again.
/// </summary>
public sealed class DialectConnection
{
    public DialectConnection(ConnectionContext connection, Dialect dialect, DialectStats stats, IPAddress remote, CancellationToken stopping)
    {
        Connection = connection;
        Dialect = dialect;
        Stats = stats;
        Remote = remote;
        RemoteText = remote.ToString();
        Stopping = stopping;
    }

    public ConnectionContext Connection { get; }

    public Dialect Dialect { get; }

    public DialectStats Stats { get; }

    /// <summary>The client's IP, IPv4-mapped addresses folded to IPv4 (limits and logs key on it).</summary>
    public IPAddress Remote { get; }

    /// <summary><see cref="Remote"/> as text, made once per connection for logs and per-address limits.</summary>
    public string RemoteText { get; }

    /// <summary>Cancelled when the server begins to stop.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>On a TLS listener: set once the handshake has completed (the gate logs one that did not).</summary>
    public bool HandshakeCompleted { get; set; }

    /// <summary>The connection's input: clear text, decrypted by TLS on a TLS listener.</summary>
    public PipeReader Input => Connection.Transport.Input;

    public PipeWriter Output => Connection.Transport.Output;

    /// <summary>The context the gate set; a handler reached without the gate is a wiring bug.</summary>
    public static DialectConnection Of(ConnectionContext connection) =>
        connection.Features.Get<DialectConnection>()
        ?? throw new InvalidOperationException($"Connection {connection.ConnectionId} has no {nameof(DialectConnection)}: the dialect handler must run behind the connection gate.");
}
