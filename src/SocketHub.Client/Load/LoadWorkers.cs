using System.Globalization;
using SocketHub.Client.Net;
using SocketHub.Protocol.Board;
using SocketHub.Protocol.Crypto;
using SocketHub.Protocol.History;

namespace SocketHub.Client.Load;

/// <summary>What a load run needs to know, for every dialect.</summary>
public sealed record LoadSettings(ServerAddress Server, int Connections, TimeSpan Duration, double Rate, int LoginConcurrency, string? HistoryUser);

/// <summary>
/// The requests of board, history and crypto load, each run by <see cref="LoadLoop"/> (chat has
/// its own clients, <see cref="ChatLoad"/>).
/// </summary>
public static class LoadWorkers
{
    /// <summary>Posts <c>load &lt;worker&gt;-&lt;n&gt;</c> on one connection, again and again.</summary>
    public static async Task BoardAsync(LoadSettings settings, LoadStats stats, int worker, CancellationToken ct)
    {
        await using var connection = new LoadConnection(settings, BoardFraming.Replies);
        long n = 0;
        await LoadLoop.RunAsync(stats, settings.Rate, async token =>
        {
            var board = await connection.GetAsync(token);
            await board.SendAsync(BoardRequests.Post(string.Create(CultureInfo.InvariantCulture, $"load {worker}-{++n}")), token);
            var reply = await board.ReadFrameAsync(token) + "%";
            return reply == BoardReplies.Posted ? LoadOutcome.Succeeded
                : reply == BoardReplies.RateLimited ? LoadOutcome.Limited
                : LoadOutcome.Failed($"board replied {reply}");
        }, connection.DropAndPauseAsync, ct);
    }

    /// <summary>Sends <paramref name="user"/> alone, which just logs a line: one request per connection, as the dialect wants.</summary>
    public static Task HistoryAsync(LoadSettings settings, LoadStats stats, string user, CancellationToken ct) =>
        LoadLoop.RunAsync(stats, settings.Rate, async token =>
        {
            await using var connection = await FramedConnection.ConnectAsync(settings.Server, token);
            await connection.SendAsync(HistoryClient.Request(user), token);
            await connection.ShutdownSendAsync();
            var reply = await connection.ReadToEndAsync(HistoryFraming.MaxReplyBytes, token);
            return HistoryClient.TryGetResponse(reply, out _) ? LoadOutcome.Succeeded
                : reply == HistoryReplies.TooManyRequests ? LoadOutcome.Limited
                : LoadOutcome.Failed($"history replied {Board.BoardCommands.Shorten(reply)}");
        }, LoadLoop.PauseAsync, ct);

    /// <summary>Alternates on one connection: encrypt a text, then decrypt its token and check the round trip.</summary>
    public static async Task CryptoAsync(LoadSettings settings, LoadStats stats, int worker, CancellationToken ct)
    {
        await using var connection = new LoadConnection(settings, CryptoFraming.Replies);
        string? token = null;
        var text = "";
        long n = 0;
        await LoadLoop.RunAsync(stats, settings.Rate, async cancel =>
        {
            var crypto = await connection.GetAsync(cancel);
            if (token is null)
            {
                text = string.Create(CultureInfo.InvariantCulture, $"load {worker}-{++n}");
                token = await Crypto.CryptoCommands.RequestAsync(crypto, CryptoOperation.Encrypt, text, cancel);
                return LoadOutcome.Succeeded;
            }

            var back = await Crypto.CryptoCommands.RequestAsync(crypto, CryptoOperation.Decrypt, token, cancel);
            token = null;
            return back == text ? LoadOutcome.Succeeded : LoadOutcome.Failed("a token did not decrypt to its text");
        }, async cancel =>
        {
            // A round trip that failed halfway starts again, with a new text.
            token = null;
            await connection.DropAndPauseAsync(cancel);
        }, ct);
    }
}
