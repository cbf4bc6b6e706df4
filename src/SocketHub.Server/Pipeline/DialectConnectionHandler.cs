using Microsoft.AspNetCore.Connections;

namespace SocketHub.Server.Pipeline;

/// <summary>
/// The one request/reply loop: read a request, answer it, repeat, until the client closes, the
/// idle time runs out, a frame is too long or the server stops. It counts requests and error
/// replies and lingers after a refusal so that the refusal arrives. Each reply is flushed at once:
/// a client may wait for it before sending the rest of a frame it has begun.
/// </summary>
public class DialectConnectionHandler<TRequest, TReply>(DialectProtocol<TRequest, TReply> protocol, TimeProvider time) : ConnectionHandler
    where TReply : IDialectReply
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var context = DialectConnection.Of(connection);
        var output = context.Output;
        using var reader = new DialectReader(context, protocol.Reading, time, context.Stopping);
        while (true)
        {
            switch (await reader.ReadAsync())
            {
                case DialectRead.Request:
                    var request = protocol.Read(reader.Frame, context);
                    var reply = await protocol.HandleAsync(request, context);
                    Write(context, reply);
                    await output.FlushAsync();

                    if (reader.Frame.AtEnd || protocol.EndsAfter(reply, reader))
                    {
                        return;
                    }

                    break;
                case DialectRead.TooLong or DialectRead.Invalid:
                    Write(context, protocol.TooLong(context));
                    await output.FlushAsync();
                    await reader.LingerAsync();
                    return;
                case DialectRead.TimedOut:
                    Write(context, protocol.TimedOut(context));
                    await output.FlushAsync();
                    return;
                case DialectRead.Stopping when protocol.TryStopping(out var last):
                    Write(context, last);
                    await output.FlushAsync();
                    return;
                default:
                    return;
            }
        }
    }

    private void Write(DialectConnection context, in TReply reply)
    {
        if (reply.IsError)
        {
            context.Stats.ErrorReplied();
        }

        protocol.Write(reply, context.Output);
    }
}
