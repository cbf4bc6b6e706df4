using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SocketHub.Server.Hosting.Proxy;

/// <summary>
/// Connection middleware first in line on every listener when <c>Listen:TrustedProxies</c> is set:
/// from a trusted proxy it reads the PROXY protocol header, which is required, and makes the
/// client address it carries the connection's <see cref="ConnectionContext.RemoteEndPoint"/>, the
/// one address the gates, limits, logs, Kestrel's HTTP connection and the audit read after it. It
/// takes exactly the header's bytes from the input; what follows (the dialect, or the TLS
/// handshake on a TLS port) is left for the next in line. From any other peer nothing is read:
/// bytes that look like a header are the dialect's, so a client cannot choose its own address.
/// </summary>
internal sealed class ProxyHeaderReader(string listener, ProxyProtocolSettings settings, RefusalSummary refusals, ILogger<ProxyHeaderReader> logger)
{
    public async Task InvokeAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        if (connection.RemoteEndPoint is not IPEndPoint proxy || !settings.Trusted.Contains(proxy.Address))
        {
            await next(connection);
            return;
        }

        ProxyHeaderResult header;
        try
        {
            header = await ReadAsync(connection.Transport.Input);
        }
        catch (Exception e) when (ClientGone.Is(e))
        {
            // The proxy hung up before the header: nothing was relayed, nothing to say.
            return;
        }

        if (header.Status != ProxyHeaderStatus.Complete)
        {
            // Refused through the summary: a proxy configured without send-proxy would otherwise
            // write one line per connection. Returning closes the connection.
            refusals.Refused(listener, RemoteAddress.Of(connection), $"trusted proxy sent no valid PROXY header: {header.Problem}");
            return;
        }

        if (header.Source is { } source)
        {
            connection.RemoteEndPoint = source;
            ProxyLog.Forwarded(logger, listener, proxy.Address, source.Address);
        }

        await next(connection);
    }

    /// <summary>
    /// Reads until the header is complete, invalid, cut short by the close, or late. Only the
    /// header's bytes are consumed; on a split header what came so far is examined and kept, and
    /// the next read waits for more.
    /// </summary>
    private async Task<ProxyHeaderResult> ReadAsync(PipeReader input)
    {
        using var timeout = new CancellationTokenSource(settings.HeaderTimeout);
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(timeout.Token);
                var buffer = read.Buffer;
                var header = ProxyHeaderParser.Parse(buffer);
                switch (header.Status)
                {
                    case ProxyHeaderStatus.Complete:
                        input.AdvanceTo(buffer.GetPosition(header.Length));
                        return header;
                    case ProxyHeaderStatus.Invalid:
                        input.AdvanceTo(buffer.Start);
                        return header;
                    default:
                        input.AdvanceTo(buffer.Start, buffer.End);
                        if (read.IsCompleted)
                        {
                            return ProxyHeaderResult.Invalid(buffer.IsEmpty ? "closed before sending one" : "closed in the middle of it");
                        }

                        break;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return ProxyHeaderResult.Invalid($"none within {settings.HeaderTimeout.TotalSeconds:0.#} s (Listen:ProxyHeaderTimeoutSeconds)");
        }
    }
}

/// <summary>Puts the <see cref="ProxyHeaderReader"/> in front of a listener when PROXY protocol is on.</summary>
internal static class ProxyProtocolListenOptions
{
    /// <summary>
    /// First in line on <paramref name="options"/> (before any gate and before TLS: the header comes
    /// ahead of the handshake) when <c>Listen:TrustedProxies</c> is set; otherwise nothing, and every
    /// byte reaches the listener as without this feature.
    /// </summary>
    public static void UseProxyProtocol(this ListenOptions options, IServiceProvider services, string listener)
    {
        if (services.GetService<ProxyProtocolSettings>() is not { Enabled: true } settings)
        {
            return;
        }

        var reader = new ProxyHeaderReader(
            listener,
            settings,
            services.GetRequiredService<RefusalSummary>(),
            services.GetRequiredService<ILogger<ProxyHeaderReader>>());
        options.Use(next => connection => reader.InvokeAsync(connection, next));
    }
}
