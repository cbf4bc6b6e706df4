using System.Buffers;
using SocketHub.Protocol.Chat;

namespace SocketHub.Server.Chat;

/// <summary>The JSON dialect: one request object per line, <c>login</c> first; replies and events one object per line.</summary>
public sealed class ChatJsonConnectionHandler(ChatHandlerServices services)
    : ChatConnectionHandler(services, ChatDialect.Json, isJson: true)
{
    protected override async Task<bool> LoginAsync(ChatSession session, ChatLines lines)
    {
        while (await lines.ReadAsync() is { } line)
        {
            var command = Parse(line);
            if (command is null)
            {
                session.TryEnqueue(ChatReply.Fail(null, ChatTexts.MalformedRequest));
                continue;
            }

            if (command.Kind == ChatCommandKind.Empty)
            {
                continue;
            }

            if (command.Kind != ChatCommandKind.Login)
            {
                session.TryEnqueue(ChatReply.Fail(command.Name, command.Kind == ChatCommandKind.Invalid ? ChatTexts.InvalidCommand : ChatTexts.LoginFirst));
                continue;
            }

            if (command.Error is not null)
            {
                session.TryEnqueue(ChatReply.Fail(command.Name, command.Error));
                continue;
            }

            var result = await Chat.LoginAsync(session, command.User, command.Text);
            switch (result)
            {
                case LoginResult.Welcome:
                    return true;
                case LoginResult.WrongPassword or LoginResult.EmptyPassword or LoginResult.InvalidUsername or LoginResult.UnknownUser:
                    Refused(session, command.Name, result);
                    break;
                default:
                    Refused(session, command.Name, result);
                    return false;
            }
        }

        return false;
    }

    /// <summary>Decision: a blank line is ignored, as in the text dialect.</summary>
    protected override ChatCommand? Parse(string line) =>
        string.IsNullOrWhiteSpace(line) ? new ChatCommand(ChatCommandKind.Empty, string.Empty) : ChatJsonRequest.Parse(line);

    protected override void Format(ChatOutput output, IBufferWriter<byte> buffer) => ChatJsonFormat.Write(output, buffer);
}
