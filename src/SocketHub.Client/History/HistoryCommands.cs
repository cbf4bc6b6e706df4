using System.CommandLine;
using SocketHub.Client.Net;
using SocketHub.Protocol.History;

namespace SocketHub.Client.History;

/// <summary><c>history new|show|delete|clear</c>: one request per connection, the reply read until the close.</summary>
public static class HistoryCommands
{
    public static Command Create(ClientIo io)
    {
        var history = new Command("history", "The numbered access log (port 5007): new, show, delete, clear");
        history.Subcommands.Add(Build(io, "new", "Get a new username (it works as a password)", withUser: false, withLine: false,
            (user, line) => HistoryClient.Request(HistoryRequest.NewUserWord)));
        history.Subcommands.Add(Build(io, "show", "Show the history", withUser: true, withLine: false,
            (user, line) => HistoryClient.Request(user!, "2")));
        history.Subcommands.Add(Build(io, "delete", "Delete one line of the history", withUser: true, withLine: true,
            (user, line) => HistoryClient.Request(user!, "1", line)));
        history.Subcommands.Add(Build(io, "clear", "Delete all of the history", withUser: true, withLine: false,
            (user, line) => HistoryClient.Request(user!, "3")));
        return history;
    }

    private static Command Build(ClientIo io, string name, string description, bool withUser, bool withLine, Func<string?, string?, string> request)
    {
        var host = CommonOptions.Host();
        var port = CommonOptions.Port(CommonOptions.HistoryPort);
        var user = new Option<string>("--user", "-u")
        {
            Description = "Your username (configured or from 'history new'; it is a password: \"-\" reads it from standard input, out of the process list)",
            Required = true,
        };
        var line = new Option<long>("--line", "-n") { Description = "The line number (from 1)", Required = true };
        var command = new Command(name, description) { host, port };
        if (withUser)
        {
            command.Options.Add(user);
        }

        if (withLine)
        {
            command.Options.Add(line);
        }

        command.SetAction(async (r, ct) =>
        {
            var userWord = withUser ? r.GetRequiredValue(user) : null;
            if (userWord == "-")
            {
                userWord = (await io.In.ReadLineAsync(ct))?.Trim() ?? string.Empty;
            }

            if (userWord is not null && (userWord.Length == 0 || userWord.Any(char.IsWhiteSpace)))
            {
                throw new ClientException(ExitCodes.Usage, "--user must be one word");
            }

            var lineText = withLine ? r.GetValue(line).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            await using var connection = await FramedConnection.ConnectAsync(CommonOptions.Server(r, host, port), ct);
            await connection.SendAsync(request(userWord, lineText), ct);
            await connection.ShutdownSendAsync();
            var reply = await connection.ReadToEndAsync(HistoryFraming.MaxReplyBytes, ct);
            return await ReportAsync(io, name, reply, connection.Endpoint);
        });
        return command;
    }

    private static async Task<int> ReportAsync(ClientIo io, string name, string reply, string endpoint)
    {
        if (name == "new")
        {
            if (!HistoryClient.TryGetNewUsername(reply, out var username))
            {
                throw Refused(reply, endpoint);
            }

            await io.Out.WriteLineAsync(username);
            return ExitCodes.Success;
        }

        if (!HistoryClient.TryGetResponse(reply, out var response))
        {
            throw Refused(reply, endpoint);
        }

        var failed = response == HistoryReplies.NeedsLineNumber
            || response == HistoryReplies.InvalidOperation
            || (response.StartsWith("Line ", StringComparison.Ordinal) && response.EndsWith(" does not exist.", StringComparison.Ordinal));
        if (failed)
        {
            throw new ClientException(ExitCodes.ServerError, $"the history server refused: {response}");
        }

        await io.Out.WriteLineAsync(response);
        return ExitCodes.Success;
    }

    /// <summary>A one-line reply where a user's reply was expected: an error the server stated, or not a history server.</summary>
    private static ClientException Refused(string reply, string endpoint) =>
        reply.Length == 0 ? new(ExitCodes.Failure, $"{endpoint} closed the connection without a reply")
        : reply.Contains('\n', StringComparison.Ordinal) || reply.Length > 200
            ? new(ExitCodes.Failure, $"unexpected reply from {endpoint} (is it a history server?): {Board.BoardCommands.Shorten(reply)}")
            : new(ExitCodes.ServerError, $"the history server refused: {reply}");
}
