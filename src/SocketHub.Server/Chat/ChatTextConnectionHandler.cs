using SocketHub.Protocol.Chat;

namespace SocketHub.Server.Chat;

/// <summary>The text dialect (telnet, netcat): <c>Username: </c>, <c>Password: </c>, then command lines.</summary>
public sealed class ChatTextConnectionHandler(ChatHandlerServices services)
    : ChatConnectionHandler(services, ChatDialect.Text)
{
    protected override async Task<bool> LoginAsync(ChatSession session, ChatLines lines)
    {
        session.TryEnqueue(ChatPrompt.Username);
        string? user = null;
        while (await lines.ReadAsync(user is null ? ChatPrompt.Username : ChatPrompt.Password) is { } line)
        {
            if (user is null)
            {
                // Decision: spaces around a typed username are not part of it.
                var name = line.Trim(' ', '\t');
                var check = Login.CheckUsername(name);
                switch (check)
                {
                    case LoginResult.Welcome:
                        user = name;
                        session.TryEnqueue(ChatPrompt.Password);
                        break;
                    case LoginResult.Blocked:
                        Refused(session, null, check);
                        return false;
                    default:
                        Refused(session, null, check);
                        session.TryEnqueue(ChatPrompt.Username);
                        break;
                }

                continue;
            }

            // The password is the line exactly as typed.
            var result = await VerifyAndEnterAsync(session, user, line);
            switch (result)
            {
                case LoginResult.Welcome:
                    return true;
                case LoginResult.WrongPassword or LoginResult.EmptyPassword:
                    Refused(session, null, result);
                    session.TryEnqueue(ChatPrompt.Password);
                    break;
                case LoginResult.InvalidUsername or LoginResult.UnknownUser
                    or LoginResult.ReservedName or LoginResult.TooManyRegistrations or LoginResult.AccountsFull:
                    Refused(session, null, result);
                    user = null;
                    session.TryEnqueue(ChatPrompt.Username);
                    break;
                default:
                    Refused(session, null, result);
                    return false;
            }
        }

        return false;
    }
}
