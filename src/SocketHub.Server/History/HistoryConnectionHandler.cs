using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using SocketHub.Protocol.History;
using SocketHub.Protocol.Text;
using SocketHub.Server.Hosting;
using SocketHub.Server.Ops;

namespace SocketHub.Server.History;

/// <summary>
/// One history connection: one request (a line, or whatever came before the client half-closed),
/// one reply, then the close. Every request that arrives whole is logged to the history before it
/// is answered, even one that is not UTF-8; what never becomes a request (too long, too late,
/// over the rate) gets a one-line reason and is not logged.
/// </summary>
public sealed class HistoryConnectionHandler(
    HistorySettings settings,
    HistoryWriter writer,
    ServerStats stats,
    ActivityFeed activity,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<HistoryConnectionHandler> logger) : ConnectionHandler
{
    /// <summary>How long an over-long sender may keep sending after its error before we close.</summary>
    private static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);

    private readonly DialectStats _stats = stats.For(HistoryDialect.Info);

    private readonly AddressRateLimiter _requests = new(settings.RequestsPerSecond, settings.RequestBurst, time);

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var remote = RemoteAddress.Of(connection).ToString();
        var output = connection.Transport.Output;
        using var reader = new FrameReader(
            connection.Transport.Input, HistoryFraming.Options, settings.RequestTimeout, time, lifetime.ApplicationStopping);

        switch (await reader.ReadAsync())
        {
            case ReadOutcome.Frame:
                await ReplyAsync(output, await HandleAsync(reader.Frame, remote));
                return;
            case ReadOutcome.Closed:
                // No line end, then a half-close (nc -N, shutdown(SHUT_WR)): what came is the request.
                await ReplyAsync(output, await HandleAsync(reader.Pending, remote));
                return;
            case ReadOutcome.TooLong:
                HistoryLog.TooLong(logger, remote);
                await ErrorAsync(output, HistoryReplies.TooLong);
                await reader.DiscardUntilClosedAsync(LingerTimeout);
                return;
            case ReadOutcome.TimedOut:
                await ErrorAsync(output, HistoryReplies.TimedOut);
                return;
            default:
                await ReplyAsync(output, HistoryReplies.ShuttingDown);
                return;
        }
    }

    private async Task<string> HandleAsync(ReadOnlyMemory<byte> bytes, string remote)
    {
        _stats.RequestHandled();

        // Checked before logging: the limit exists to keep a flood out of the history.
        if (!_requests.TryAcquire(remote))
        {
            HistoryLog.RateLimited(logger, remote);
            _stats.ErrorReplied();
            return HistoryReplies.TooManyRequests;
        }

        // A request that is not UTF-8 is still a request: logged, then refused.
        var request = StrictUtf8.TryDecode(bytes.Span, out var text)
            ? HistoryRequest.Parse(text)
            : HistoryRequest.NotUtf8(bytes.Span);
        HistoryResponse response;
        try
        {
            response = await writer.HandleAsync(request, remote);
        }
        catch (Exception e) when (!ClientGone.Is(e))
        {
            // Nothing was logged or changed; say so rather than pretend.
            HistoryLog.RequestFailed(logger, e, remote);
            _stats.ErrorReplied();
            return HistoryReplies.NotLogged;
        }

        if (response.IsError)
        {
            _stats.ErrorReplied();
        }

        if (request.Op == HistoryOp.NewUser)
        {
            HistoryLog.UserCreated(logger, remote);
        }

        // Never the user word: it works as a password.
        activity.Add(HistoryDialect.Info.Name, $"{remote}: {Describe(request)}" +
            (response.Text == HistoryReplies.AuthenticationError ? ", authentication error" : response.IsError ? ", refused" : string.Empty));

        if (logger.IsEnabled(LogLevel.Debug))
        {
            HistoryLog.Handled(logger, remote, request.Op.ToString(), response.IsError ? "error reply" : "done");
        }

        return response.Render(settings.RepositoryUrl);
    }

    private static string Describe(HistoryRequest request) => request.Op switch
    {
        HistoryOp.None => "no operation",
        HistoryOp.DeleteLine => $"delete line {request.LineText}",
        HistoryOp.Show => "show the history",
        HistoryOp.DeleteAll => "delete all history",
        HistoryOp.NewUser => "new username",
        HistoryOp.NotUtf8 => "request not UTF-8",
        _ => "invalid operation",
    };

    private async Task ErrorAsync(PipeWriter output, string reply)
    {
        _stats.ErrorReplied();
        await ReplyAsync(output, reply);
    }

    private static async ValueTask ReplyAsync(PipeWriter output, string reply) =>
        await output.WriteAsync(Encoding.UTF8.GetBytes(reply));
}
