using System.Buffers;

namespace SocketHub.Server.Pipeline;

/// <summary>
/// The protocol decisions of a request/reply dialect (board, history, crypto), and nothing else:
/// how requests arrive, a typed reader (frame to request), the handler (request to reply and its
/// effects), a typed writer (reply into the connection's output) and the replies for what is not
/// a request. <see cref="DialectConnectionHandler{TRequest, TReply}"/> runs it; the read outcomes,
/// counters, linger and shutdown are the loop's, the same for every dialect.
/// </summary>
public abstract class DialectProtocol<TRequest, TReply>
    where TReply : IDialectReply
{
    public abstract DialectReading Reading { get; }

    /// <summary>Typed reader: a frame's bytes (or text) to a request. Bytes from a client never throw.</summary>
    public abstract TRequest Read(in DialectFrame frame, DialectConnection connection);

    /// <summary>The request's effects and its reply.</summary>
    public abstract ValueTask<TReply> HandleAsync(TRequest request, DialectConnection connection);

    /// <summary>Typed writer: the reply's bytes straight into the output.</summary>
    public abstract void Write(in TReply reply, IBufferWriter<byte> output);

    /// <summary>The reply to a frame over the limit (the connection then lingers and closes); the dialect logs it here.</summary>
    public abstract TReply TooLong(DialectConnection connection);

    /// <summary>The reply when the idle time runs out, before the close.</summary>
    public abstract TReply TimedOut(DialectConnection connection);

    /// <summary>The last words when the server stops, if the dialect has any.</summary>
    public virtual bool TryStopping(out TReply reply)
    {
        reply = default!;
        return false;
    }

    /// <summary>Whether the connection ends after this reply (one request per connection, one batch, ...).</summary>
    public virtual bool EndsAfter(in TReply reply, DialectReader reader) => false;
}
