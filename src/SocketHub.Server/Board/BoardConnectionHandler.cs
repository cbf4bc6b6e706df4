using System.Text;
using Microsoft.AspNetCore.Connections;
using SocketHub.Protocol.Board;
using SocketHub.Protocol.Text;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Board;

/// <summary>
/// One board connection: read a %-terminated command, answer it, repeat. Two kinds of client
/// share the port, told apart by what they send (docs/protocols.md, "Connection life"):
/// <list type="bullet">
/// <item>A program that sends commands without line ends, as the original client did, gets the
/// original's life cycle: when what it sent ends exactly at a <c>%</c>, it gets the replies and
/// then the close at once; a command it began but did not finish gets <c>ERRTimeout!%</c> after
/// <c>Board:UnfinishedCommandTimeoutSeconds</c>.</item>
/// <item>Once a client sends a line end (Enter in nc or telnet), the connection is a session for
/// good: it stays open after each reply until the client closes or the idle timeout passes.</item>
/// </list>
/// A client that half-closes gets every reply and then the close.
/// </summary>
public sealed class BoardConnectionHandler(
    BoardSettings settings,
    BoardStore store,
    BoardPostWriter writer,
    ServerStats stats,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<BoardConnectionHandler> logger) : ConnectionHandler
{
    /// <summary>How long an over-long sender may keep sending after its error before we close.</summary>
    private static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);

    private readonly DialectStats _stats = stats.For(BoardDialect.Info);

    private readonly AddressRateLimiter _posts = new(settings.PostsPerSecond, settings.PostBurst, time);

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var remote = RemoteAddress.Of(connection).ToString();
        var output = connection.Transport.Output;
        using var reader = new FrameReader(
            connection.Transport.Input, BoardFraming.Options, settings.IdleTimeout, time, lifetime.ApplicationStopping);
        reader.UnfinishedFrameTimeout = () => reader.LineEndSeen ? null : settings.UnfinishedCommandTimeout;

        while (true)
        {
            switch (await reader.ReadAsync())
            {
                case ReadOutcome.Frame:
                    await ReplyAsync(output, await HandleAsync(reader.Frame, remote));
                    if (!reader.HasBufferedData && (settings.OneBatchPerConnection || !reader.LineEndSeen))
                    {
                        // What the client sent ends here: the original's close after one batch.
                        return;
                    }

                    break;
                case ReadOutcome.TooLong:
                    BoardLog.Overloaded(logger, remote);
                    await ErrorAsync(output, BoardReplies.BufferOverloaded);
                    await reader.DiscardUntilClosedAsync(LingerTimeout);
                    return;
                case ReadOutcome.TimedOut:
                    await ErrorAsync(output, BoardReplies.Timeout);
                    return;
                default:
                    return;
            }
        }
    }

    private async Task<string> HandleAsync(ReadOnlyMemory<byte> frame, string remote)
    {
        _stats.RequestHandled();
        if (!StrictUtf8.TryDecode(frame.Span, out var text))
        {
            _stats.ErrorReplied();
            return BoardReplies.InvalidEncoding;
        }

        var command = BoardCommand.Parse(text);
        switch (command.Kind)
        {
            case BoardCommandKind.Post when !_posts.TryAcquire(remote):
                _stats.ErrorReplied();
                return BoardReplies.RateLimited;
            case BoardCommandKind.Post:
                return await PostAsync(command.Text, remote);
            case BoardCommandKind.Get:
                return BoardReplies.MessageList(await store.ListAsync(command.SinceId));
            default:
                _stats.ErrorReplied();
                return BoardReplies.UnknownCommand;
        }
    }

    private async Task<string> PostAsync(string text, string remote)
    {
        long id;
        try
        {
            id = await writer.PostAsync(text, remote);
        }
        catch (Exception e) when (!ClientGone.Is(e))
        {
            // Never acknowledge what was not committed; the client may try again.
            BoardLog.PostFailed(logger, e, remote);
            _stats.ErrorReplied();
            return BoardReplies.NotStored;
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            BoardLog.Posted(logger, id, remote, LogText.Sanitize(text));
        }

        return BoardReplies.Posted;
    }

    private async Task ErrorAsync(System.IO.Pipelines.PipeWriter output, string reply)
    {
        _stats.ErrorReplied();
        await ReplyAsync(output, reply);
    }

    private static async ValueTask ReplyAsync(System.IO.Pipelines.PipeWriter output, string reply) =>
        await output.WriteAsync(Encoding.UTF8.GetBytes(reply));
}
