using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using SocketHub.Server.Hosting.Tls;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.Hosting;

/// <summary>
/// Connection middleware in front of every dialect's handler: the per-address connection limit
/// (answered with a reason line in the dialect's format), the connection and byte counters, a
/// logging scope with the dialect and remote address, the <see cref="DialectConnection"/> every
/// handler reads, and a last guard so that nothing a client does can surface as an unhandled
/// exception.
/// </summary>
internal sealed class ConnectionGate(
    Dialect dialect,
    DialectStats stats,
    IAddressConnectionCounter limiter,
    ConnectionCap cap,
    RefusalSummary refusals,
    ILogger<ConnectionGate> logger,
    bool secure,
    CancellationToken stopping)
{
    public const string TooManyConnections = "Too many connections from your address";

    public async Task InvokeAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var address = RemoteAddress.Of(connection);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["Dialect"] = dialect.Name,
            ["Remote"] = address.ToString(),
            ["ConnectionId"] = connection.ConnectionId,
        });

        if (!cap.TryAcquire())
        {
            stats.ConnectionRejected();
            refusals.Refused(dialect.Name, address, $"the server is at its connection limit ({cap.Limit}, Limits:MaxConnections)");
            await SayAndCloseAsync(connection, ConnectionCap.ServerFull);
            return;
        }

        if (!await limiter.TryAcquireAsync(address))
        {
            cap.Release();
            stats.ConnectionRejected();
            refusals.Refused(dialect.Name, address, "over the per-address connection limit");
            await SayAndCloseAsync(connection, TooManyConnections);
            return;
        }

        stats.ConnectionOpened();
        var transport = connection.Transport;
        connection.Transport = new CountingDuplexPipe(transport, stats);
        var context = new DialectConnection(connection, dialect, stats, address, stopping);
        connection.Features.Set(context);
        HostingLog.Opened(logger, dialect.Name, address);
        try
        {
            await next(connection);
        }
        catch (Exception e) when (ClientGone.Is(e))
        {
            HostingLog.ClientWentAway(logger, dialect.Name, address, e.GetType().Name);
        }
        catch (Exception e)
        {
            stats.ErrorReplied();
            HostingLog.ConnectionFailed(logger, e, dialect.Name, address);
        }
        finally
        {
            if (secure && !context.HandshakeCompleted)
            {
                TlsLog.HandshakeFailed(logger, dialect.Name + DialectListener.TlsSuffix, address);
            }

            connection.Transport = transport;
            limiter.Release(address);
            cap.Release();
            stats.ConnectionClosed();
            HostingLog.Closed(logger, dialect.Name, address);
        }
    }

    /// <summary>
    /// The reason in the dialect's format, then the close. Before a TLS handshake there is no way
    /// to say it the client could read: that connection is just closed (the log says why).
    /// </summary>
    private async Task SayAndCloseAsync(ConnectionContext connection, string reason)
    {
        if (secure)
        {
            return;
        }

        try
        {
            await connection.Transport.Output.WriteAsync(Encoding.UTF8.GetBytes(dialect.ReasonLine(reason)));
        }
        catch (Exception e) when (ClientGone.Is(e))
        {
            // The client left before hearing why; nothing more to do.
        }
    }
}

/// <summary>
/// The remote IP of a connection, IPv4-mapped addresses folded to IPv4: the client's, which behind
/// a trusted proxy is the one its PROXY protocol header gave (<see cref="Proxy.ProxyHeaderReader"/>
/// sets it as the connection's remote endpoint before any gate runs).
/// </summary>
internal static class RemoteAddress
{
    public static IPAddress Of(ConnectionContext connection) =>
        connection.RemoteEndPoint is IPEndPoint { Address: var address }
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)
            : IPAddress.None;
}
