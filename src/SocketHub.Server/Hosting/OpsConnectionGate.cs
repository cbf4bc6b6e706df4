using System.Text;
using Microsoft.AspNetCore.Connections;

namespace SocketHub.Server.Hosting;

/// <summary>
/// The overall connection cap and the per-address limit on the HTTP ops port, which otherwise
/// has neither: idle HTTP connections from one address could use up every file descriptor. A
/// connection over a limit gets a plain 503 before any request is read, and the close.
/// </summary>
internal sealed class OpsConnectionGate(
    IAddressConnectionCounter limiter,
    ConnectionCap cap,
    RefusalSummary refusals,
    bool secure)
{
    private const string Name = "ops";

    public async Task InvokeAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var address = RemoteAddress.Of(connection);
        if (!cap.TryAcquire())
        {
            refusals.Refused(Name, address, $"the server is at its connection limit ({cap.Limit}, Limits:MaxConnections)");
            await RefuseAsync(connection, ConnectionCap.ServerFull);
            return;
        }

        if (!await limiter.TryAcquireAsync(address))
        {
            cap.Release();
            refusals.Refused(Name, address, "over the per-address connection limit");
            await RefuseAsync(connection, ConnectionGate.TooManyConnections);
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            limiter.Release(address);
            cap.Release();
        }
    }

    /// <summary>A 503 on the plain port; on the HTTPS port, before any handshake, only the close.</summary>
    private async Task RefuseAsync(ConnectionContext connection, string reason)
    {
        if (secure)
        {
            return;
        }

        var body = reason + "\n";
        var response = $"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
        try
        {
            await connection.Transport.Output.WriteAsync(Encoding.UTF8.GetBytes(response));
        }
        catch (Exception e) when (ClientGone.Is(e))
        {
            // The client left before hearing why.
        }
    }
}
