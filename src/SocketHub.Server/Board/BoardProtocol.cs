using System.Buffers;
using SocketHub.Protocol.Board;
using SocketHub.Protocol.Text;
using SocketHub.Server.Hosting;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.Board;

/// <summary>
/// The board's protocol decisions: a %-terminated command, its reply, repeat. Two kinds of client
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
public sealed class BoardProtocol(
    BoardSettings settings,
    BoardStore store,
    BoardPostWriter writer,
    TimeProvider time,
    ILogger<BoardProtocol> logger) : DialectProtocol<BoardCommand?, BoardReply>
{
    private readonly AddressRateLimiter _posts = new(settings.PostsPerSecond, settings.PostBurst, time);

    public override DialectReading Reading { get; } = new(() => new Protocol.Framing.FrameDecoder(BoardFraming.Requests), settings.IdleTimeout)
    {
        SkipsBlank = BoardFraming.Requests.SkipLeadingWhitespace,
        UnfinishedFrameTimeout = reader => reader.LineEndSeen ? null : settings.UnfinishedCommandTimeout,
    };

    /// <summary>Null: the command is not UTF-8.</summary>
    public override BoardCommand? Read(in DialectFrame frame, DialectConnection connection) =>
        frame.TryGetText(out var text) ? BoardCommand.Parse(text) : null;

    public override async ValueTask<BoardReply> HandleAsync(BoardCommand? request, DialectConnection connection)
    {
        if (request is not { } command)
        {
            return BoardReply.Error(BoardReplies.InvalidEncoding);
        }

        var remote = connection.RemoteText;
        switch (command.Kind)
        {
            case BoardCommandKind.Post when !_posts.TryAcquire(remote):
                return BoardReply.Error(BoardReplies.RateLimited);
            case BoardCommandKind.Post:
                return await PostAsync(command.Text, remote);
            case BoardCommandKind.Get:
                return BoardReply.List(await store.ListAsync(command.SinceId));
            default:
                return BoardReply.Error(BoardReplies.UnknownCommand);
        }
    }

    public override void Write(in BoardReply reply, IBufferWriter<byte> output) => reply.WriteTo(output);

    public override BoardReply TooLong(DialectConnection connection)
    {
        BoardLog.Overloaded(logger, connection.RemoteText);
        return BoardReply.Error(BoardReplies.BufferOverloaded);
    }

    public override BoardReply TimedOut(DialectConnection connection) => BoardReply.Error(BoardReplies.Timeout);

    /// <summary>What the client sent ends here, and it is not a terminal session: the original's close after one batch.</summary>
    public override bool EndsAfter(in BoardReply reply, DialectReader reader) =>
        !reader.HasBufferedData && (settings.OneBatchPerConnection || !reader.LineEndSeen);

    private async Task<BoardReply> PostAsync(string text, string remote)
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
            return BoardReply.Error(BoardReplies.NotStored);
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            BoardLog.Posted(logger, id, remote, LogText.Sanitize(text));
        }

        return BoardReply.Posted;
    }
}
