using SocketHub.Protocol.Chat;
using SocketHub.Protocol.Framing;

namespace SocketHub.Server.Chat;

/// <summary>
/// The JSON port, speaking the COMP3331 messenger's protocol: each request a JSON object (with or
/// without a line end), <c>login</c> first; each reply and event one object in the original's
/// schema, written on its own (see <see cref="ChatSession"/>). The room, accounts and rules are
/// the text port's; <see cref="ChatJsonReplies"/> words the answers as the original did.
/// </summary>
public sealed class ChatJsonConnectionHandler(ChatHandlerServices services)
    : ChatConnectionHandler(services, ChatDialect.Json)
{
    protected override IFrameDecoder NewDecoder() => new JsonObjectDecoder(ChatJsonRequest.MaxRequestBytes);

    protected override async Task<bool> LoginAsync(ChatSession session, ChatLines lines)
    {
        while (await lines.ReadAsync() is { } line)
        {
            var command = Dialect.Parse(line);
            if (command is null)
            {
                CountError();
                session.TryEnqueue(ChatReply.Fail(null, ChatTexts.MalformedRequest));
                continue;
            }

            if (command.Kind == ChatCommandKind.Empty)
            {
                continue;
            }

            if (command.Kind != ChatCommandKind.Login || command.Error is not null)
            {
                CountError();
                session.TryEnqueue(command.Kind switch
                {
                    ChatCommandKind.Invalid => ChatJsonReplies.UnknownCommand(command.Name),
                    ChatCommandKind.Login => ChatJsonReplies.Failed(command.Name, command.Error!),
                    _ => ChatJsonReplies.Failed(command.Name, ChatTexts.LoginFirst),
                });
                continue;
            }

            var result = await VerifyAndEnterAsync(session, command.User, command.Text);
            if (result == LoginResult.Welcome)
            {
                return true;
            }

            CountError();
            session.TryEnqueue(ChatJsonReplies.LoginRefused(result, Settings.BlockDurationSeconds));
            if (ChatJsonReplies.LoginEnds(result))
            {
                return false;
            }
        }

        return false;
    }

    protected override async Task<(ChatOutput Output, bool Success)> RunAsync(ChatSession session, ChatCommand command)
    {
        if (command.Kind == ChatCommandKind.StartPrivate && command.Error is null)
        {
            // Peer to peer, as the original: the asker gets the peer's address and connects itself.
            var (result, peer) = Commands.FindPeer(session, command.User);
            var reply = ChatJsonReplies.StartPrivate(command.User, result, peer);
            return (reply, reply.Success);
        }

        var (output, success) = await base.RunAsync(session, command);
        return (output is ChatReply reply2 ? ChatJsonReplies.For(command, reply2) : output, success);
    }
}
