using System.CommandLine;
using SocketHub.Client.Net;
using SocketHub.Protocol.Chat;
using SocketHub.Protocol.Framing;

namespace SocketHub.Client.Chat;

/// <summary><c>chat --user &lt;name&gt;</c>: an interactive session on the JSON dialect.</summary>
public static class ChatCommandLine
{
    public static Command Create(ClientIo io)
    {
        var host = CommonOptions.Host();
        var port = CommonOptions.Port(CommonOptions.ChatJsonPort);
        var user = new Option<string>("--user", "-u") { Description = "Your chat username (a new one registers, when the server allows it)", Required = true };
        var passwordStdin = new Option<bool>("--password-stdin")
        {
            Description = "Read the password as the first line of standard input (automatic when standard input is redirected)",
        };
        var noP2p = new Option<bool>("--no-p2p") { Description = "Do not listen for direct private chats (peers cannot start one with you)" };
        var p2pPort = new Option<int>("--p2p-port")
        {
            Description = "Port to listen on for direct private chats (0: any free port)",
            DefaultValueFactory = _ => 0,
        };
        var command = new Command(
            "chat",
            "Chat interactively on the JSON port (12001, the COMP3331 messenger's protocol), private chats peer to peer")
        {
            user, passwordStdin, noP2p, p2pPort, host, port,
        };
        command.SetAction(async (r, ct) =>
        {
            var name = r.GetRequiredValue(user);
            if (!ChatUsername.IsValid(name))
            {
                throw new ClientException(ExitCodes.Usage, "--user must be 1-32 of A-Z a-z 0-9 _ . -");
            }

            var listenPort = r.GetValue(p2pPort);
            if (listenPort is < 0 or > 65535)
            {
                throw new ClientException(ExitCodes.Usage, "--p2p-port must be between 0 and 65535");
            }

            var secret = !r.GetValue(passwordStdin);
            if (secret && io.Interactive)
            {
                await io.Out.WriteAsync("Password: ");
                await io.Out.FlushAsync(ct);
            }

            var password = await io.ReadLineAsync(secret, ct);
            if (string.IsNullOrEmpty(password))
            {
                throw new ClientException(ExitCodes.Usage, "no password given (type it, or give it as the first line of standard input)");
            }

            await using var connection = await FramedConnection.ConnectAsync(CommonOptions.Server(r, host, port), new JsonObjectDecoder(ChatFraming.MaxJsonReplyBytes), ct);
            await using var session = new ChatClientSession(io, name, connection, r.GetValue(noP2p) ? null : listenPort);
            return await session.RunAsync(password, ct);
        });
        return command;
    }
}
