using System.CommandLine;
using SocketHub.Client.Net;
using SocketHub.Protocol.Crypto;

namespace SocketHub.Client.Crypto;

/// <summary><c>crypto encrypt|decrypt|key</c>.</summary>
public static class CryptoCommands
{
    public static Command Create(ClientIo io)
    {
        var crypto = new Command("crypto", "The Fernet service (port 8000): encrypt, decrypt, key");
        crypto.Subcommands.Add(WithText(io, "encrypt", "Encrypt a text; prints the token", "text", CryptoOperation.Encrypt));
        crypto.Subcommands.Add(WithText(io, "decrypt", "Decrypt a token; prints the text", "token", CryptoOperation.Decrypt));
        var host = CommonOptions.Host();
        var port = CommonOptions.Port(CommonOptions.CryptoPort);
        var key = new Command("key", "Print the server's key (insecure by design)") { host, port };
        key.SetAction(async (r, ct) => await RunAsync(io, CommonOptions.Server(r, host, port), CryptoOperation.GetKey, "", ct));
        crypto.Subcommands.Add(key);
        return crypto;
    }

    private static Command WithText(ClientIo io, string name, string description, string argumentName, CryptoOperation operation)
    {
        var host = CommonOptions.Host();
        var port = CommonOptions.Port(CommonOptions.CryptoPort);
        var argument = new Argument<string>(argumentName) { Description = $"The {argumentName} (\"-\" reads it from standard input)" };
        var command = new Command(name, description) { argument, host, port };
        command.SetAction(async (r, ct) =>
        {
            var payload = await CommonOptions.TextOrStdinAsync(r.GetRequiredValue(argument), io, ct);
            if (payload.Contains('\n', StringComparison.Ordinal) || payload.Contains('\r', StringComparison.Ordinal))
            {
                throw new ClientException(ExitCodes.Usage, $"the {argumentName} cannot contain a line break (it would end the request)");
            }

            return await RunAsync(io, CommonOptions.Server(r, host, port), operation, payload, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(ClientIo io, ServerAddress server, CryptoOperation operation, string payload, CancellationToken ct)
    {
        await using var connection = await FramedConnection.ConnectAsync(server, CryptoFraming.Replies, ct);
        var reply = await RequestAsync(connection, operation, payload, ct);
        await io.Out.WriteLineAsync(reply);
        return ExitCodes.Success;
    }

    /// <summary>One request on an open connection; the reply's payload, or exit code 4 for <c>#er#</c>.</summary>
    public static async Task<string> RequestAsync(FramedConnection connection, CryptoOperation operation, string payload, CancellationToken ct)
    {
        await connection.SendAsync(CryptoReply.Request(operation, payload), ct);
        var line = await connection.ReadFrameAsync(ct)
            ?? throw new ClientException(ExitCodes.CannotConnect, $"{connection.Endpoint} closed the connection without a reply");

        // A decrypted text made elsewhere may hold line breaks: read on until the reply's final '#'.
        while (line.StartsWith("#de#", StringComparison.Ordinal) && !line.EndsWith('#'))
        {
            var more = await connection.ReadFrameAsync(ct);
            if (more is null)
            {
                break;
            }

            line += "\n" + more;
        }

        if (!CryptoReply.TryParse(line, out var reply))
        {
            throw new ClientException(ExitCodes.Failure, $"unexpected reply from {connection.Endpoint} (is it a crypto server?): {Board.BoardCommands.Shorten(line)}");
        }

        if (reply.IsError)
        {
            throw new ClientException(ExitCodes.ServerError, $"the crypto server refused: {reply.Payload}");
        }

        var expected = operation switch
        {
            CryptoOperation.Encrypt => "en",
            CryptoOperation.Decrypt => "de",
            _ => "gk",
        };
        return reply.Operation == expected
            ? reply.Payload
            : throw new ClientException(ExitCodes.Failure, $"unexpected reply from {connection.Endpoint}: #{reply.Operation}# to a #{expected}# request");
    }
}
