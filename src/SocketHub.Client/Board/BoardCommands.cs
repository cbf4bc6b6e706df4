using System.CommandLine;
using System.Globalization;
using SocketHub.Client.Net;
using SocketHub.Protocol.Board;
using Spectre.Console;

namespace SocketHub.Client.Board;

/// <summary><c>board post</c>, <c>board list</c>, <c>board watch</c>.</summary>
public static class BoardCommands
{
    public static Command Create(ClientIo io)
    {
        var board = new Command("board", "The message board (port 8080): post, list, watch");
        board.Subcommands.Add(Post(io));
        board.Subcommands.Add(List(io));
        board.Subcommands.Add(Watch(io));
        return board;
    }

    private static Command Post(ClientIo io)
    {
        var host = CommonOptions.Host();
        var port = CommonOptions.Port(CommonOptions.BoardPort);
        var text = new Argument<string>("text") { Description = "The message (\"-\" reads it from standard input); it cannot contain %" };
        var command = new Command("post", "Post a message") { text, host, port };
        command.SetAction(async (r, ct) =>
        {
            var message = await CommonOptions.TextOrStdinAsync(r.GetRequiredValue(text), io, ct);
            if (message.Contains('%', StringComparison.Ordinal))
            {
                throw new ClientException(ExitCodes.Usage, "a board message cannot contain '%' (it ends a command)");
            }

            await using var connection = await FramedConnection.ConnectAsync(CommonOptions.Server(r, host, port), BoardFraming.Replies, ct);
            var reply = await RequestAsync(connection, BoardRequests.Post(message), ct);
            if (reply + "%" != BoardReplies.Posted)
            {
                throw Unexpected(connection, reply);
            }

            await io.Out.WriteLineAsync("Posted.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(ClientIo io)
    {
        var host = CommonOptions.Host();
        var port = CommonOptions.Port(CommonOptions.BoardPort);
        var since = new Option<long?>("--since") { Description = "Only messages with an id above this one" };
        var command = new Command("list", "List the messages (the newest 100 at most), as a table") { since, host, port };
        command.SetAction(async (r, ct) =>
        {
            await using var connection = await FramedConnection.ConnectAsync(CommonOptions.Server(r, host, port), BoardFraming.Replies, ct);
            var messages = await GetAsync(connection, r.GetValue(since), ct);
            var table = new Table().AddColumn(new TableColumn("Id").RightAligned()).AddColumn("Message");
            foreach (var (id, text) in messages)
            {
                table.AddRow(new Text(id.ToString(CultureInfo.InvariantCulture)), new Text(text));
            }

            io.Console.Write(table);
            io.Console.WriteLine($"{messages.Count} message(s)");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Watch(ClientIo io)
    {
        var host = CommonOptions.Host();
        var port = CommonOptions.Port(CommonOptions.BoardPort);
        var since = new Option<long?>("--since") { Description = "Also show messages with an id above this one (default: only new ones)" };
        var interval = new Option<double>("--interval")
        {
            Description = "Seconds between polls",
            DefaultValueFactory = _ => 1.0,
        };
        var command = new Command("watch", "Poll the board (GET<n>) and print new messages as they arrive; Ctrl+C stops") { since, interval, host, port };
        command.SetAction(async (r, ct) =>
        {
            var seconds = r.GetValue(interval);
            if (seconds is <= 0 or > 3600)
            {
                throw new ClientException(ExitCodes.Usage, "--interval must be between 0 and 3600 seconds");
            }

            var server = CommonOptions.Server(r, host, port);
            var connection = await FramedConnection.ConnectAsync(server, BoardFraming.Replies, ct);
            long? last = r.GetValue(since);
            try
            {
                if (last is null)
                {
                    var current = await GetAsync(connection, null, ct);
                    last = current.Count > 0 ? current[^1].Id : 0;
                }

                await io.Out.WriteLineAsync($"Watching {connection.Endpoint} after message {last} (Ctrl+C stops).");
                await io.Out.FlushAsync(ct);
                while (true)
                {
                    IReadOnlyList<(long Id, string Text)> news;
                    try
                    {
                        news = await GetAsync(connection, last, ct);
                    }
                    catch (ClientException e) when (e.ExitCode is ExitCodes.CannotConnect or ExitCodes.ServerError)
                    {
                        // The server closes connections idle for its timeout (a long --interval) or on
                        // a restart: connect again once; a second failure ends the watch.
                        await connection.DisposeAsync();
                        connection = await FramedConnection.ConnectAsync(server, BoardFraming.Replies, ct);
                        news = await GetAsync(connection, last, ct);
                    }

                    foreach (var (id, text) in news)
                    {
                        await io.Out.WriteLineAsync($"[{id}] {text}");
                        last = Math.Max(last.Value, id);
                    }

                    await io.Out.FlushAsync(ct);
                    await Task.Delay(TimeSpan.FromSeconds(seconds), ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return ExitCodes.Success;
            }
            finally
            {
                await connection.DisposeAsync();
            }
        });
        return command;
    }

    private static async Task<IReadOnlyList<(long Id, string Text)>> GetAsync(FramedConnection connection, long? since, CancellationToken ct)
    {
        var reply = await RequestAsync(connection, BoardRequests.Get(since), ct);
        return BoardRequests.TryParseList(reply, out var messages) ? messages : throw Unexpected(connection, reply);
    }

    /// <summary>Sends one command and reads its reply frame (without the %). ERR replies become exit code 4.</summary>
    private static async Task<string> RequestAsync(FramedConnection connection, string request, CancellationToken ct)
    {
        await connection.SendAsync(request, ct);
        var reply = await connection.ReadFrameAsync(ct)
            ?? throw new ClientException(ExitCodes.CannotConnect, $"{connection.Endpoint} closed the connection without a reply");
        if (reply.StartsWith("ERR", StringComparison.Ordinal))
        {
            throw new ClientException(ExitCodes.ServerError, $"the board refused: {reply[3..]}");
        }

        return reply;
    }

    private static ClientException Unexpected(FramedConnection connection, string reply) =>
        new(ExitCodes.Failure, $"unexpected reply from {connection.Endpoint} (is it a board server?): {Shorten(reply)}");

    internal static string Shorten(string text) => SocketHub.Protocol.Text.LogText.Sanitize(text, 80);
}
