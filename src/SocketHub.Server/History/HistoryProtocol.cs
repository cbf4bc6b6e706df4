using System.Buffers;
using SocketHub.Protocol.History;
using SocketHub.Server.Hosting;
using SocketHub.Server.Ops;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.History;

/// <summary>
/// The history's protocol decisions: one request (a line, or whatever came before the client
/// half-closed), one reply, then the close. Every request that arrives whole is logged to the
/// history before it is answered, even one that is not UTF-8; what never becomes a request (too
/// long, too late, over the rate) gets a one-line reason and is not logged.
/// </summary>
public sealed class HistoryProtocol(
    HistorySettings settings,
    HistoryWriter writer,
    ActivityFeed activity,
    TimeProvider time,
    ILogger<HistoryProtocol> logger) : DialectProtocol<HistoryRequest, HistoryReply>
{
    private readonly AddressRateLimiter _requests = new(settings.RequestsPerSecond, settings.RequestBurst, time);

    public override DialectReading Reading { get; } = new(() => new Protocol.Framing.FrameDecoder(HistoryFraming.Requests), settings.RequestTimeout)
    {
        UnfinishedAtClose = UnfinishedAtClose.Request,
    };

    /// <summary>A request that is not UTF-8 is still a request: logged, then refused.</summary>
    public override HistoryRequest Read(in DialectFrame frame, DialectConnection connection) =>
        frame.TryGetText(out var text) ? HistoryRequest.Parse(text) : HistoryRequest.NotUtf8(frame.Bytes.Span);

    public override async ValueTask<HistoryReply> HandleAsync(HistoryRequest request, DialectConnection connection)
    {
        var remote = connection.RemoteText;

        // Checked before logging: the limit exists to keep a flood out of the history.
        if (!_requests.TryAcquire(remote))
        {
            HistoryLog.RateLimited(logger, remote);
            return new HistoryReply(HistoryReplies.TooManyRequests, IsError: true);
        }

        HistoryResponse response;
        try
        {
            response = await writer.HandleAsync(request, remote);
        }
        catch (Exception e) when (!ClientGone.Is(e))
        {
            // Nothing was logged or changed; say so rather than pretend.
            HistoryLog.RequestFailed(logger, e, remote);
            return new HistoryReply(HistoryReplies.NotLogged, IsError: true);
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

        return new HistoryReply(response.Render(settings.RepositoryUrl), response.IsError);
    }

    public override void Write(in HistoryReply reply, IBufferWriter<byte> output) => reply.WriteTo(output);

    public override HistoryReply TooLong(DialectConnection connection)
    {
        HistoryLog.TooLong(logger, connection.RemoteText);
        return new HistoryReply(HistoryReplies.TooLong, IsError: true);
    }

    public override HistoryReply TimedOut(DialectConnection connection) => new(HistoryReplies.TimedOut, IsError: true);

    public override bool TryStopping(out HistoryReply reply)
    {
        reply = new HistoryReply(HistoryReplies.ShuttingDown, IsError: false);
        return true;
    }

    /// <summary>One request per connection, as the original.</summary>
    public override bool EndsAfter(in HistoryReply reply, DialectReader reader) => true;

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
}
