using System.Diagnostics;
using System.Globalization;
using SocketHub.Client.Net;
using SocketHub.Protocol.Board;
using SocketHub.Protocol.Crypto;
using SocketHub.Protocol.History;

namespace SocketHub.Client.Load;

/// <summary>What a load run needs to know, for every dialect.</summary>
public sealed record LoadSettings(string Host, int Port, int Connections, TimeSpan Duration, double Rate, int LoginConcurrency, string? HistoryUser);

/// <summary>The request loops of board, history and crypto load (chat has its own, <see cref="ChatLoad"/>).</summary>
public static class LoadWorkers
{
    /// <summary>Runs <paramref name="once"/> repeatedly until <paramref name="ct"/> ends, paced at the rate (0: flat out).</summary>
    public static async Task PacedAsync(double rate, Func<Task> once, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        long sent = 0;
        while (!ct.IsCancellationRequested)
        {
            if (rate > 0)
            {
                var due = TimeSpan.FromSeconds(sent / rate) - Stopwatch.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, ct);
                }
            }

            sent++;
            await once();
        }
    }

    public static async Task BoardAsync(LoadSettings settings, LoadStats stats, int worker, CancellationToken ct)
    {
        var latencies = stats.NewWorkerLatencies();
        FramedConnection? connection = null;
        long n = 0;
        try
        {
            await PacedAsync(settings.Rate, async () =>
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    connection ??= await FramedConnection.ConnectAsync(settings.Host, settings.Port, BoardFraming.Replies, ct);
                    await connection.SendAsync(BoardRequests.Post(string.Create(CultureInfo.InvariantCulture, $"load {worker}-{++n}")), ct);
                    var reply = await connection.ReadFrameAsync(ct) + "%";
                    if (reply == BoardReplies.Posted)
                    {
                        stats.Succeeded(latencies, start);
                    }
                    else if (reply == BoardReplies.RateLimited)
                    {
                        stats.Limited();
                    }
                    else
                    {
                        stats.Failed($"board replied {reply}");
                    }
                }
                catch (ClientException e)
                {
                    stats.Failed(e.Message);
                    connection = await DropAsync(connection);
                    await Backoff(ct);
                }
            }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            await DropAsync(connection);
        }
    }

    public static async Task HistoryAsync(LoadSettings settings, LoadStats stats, string user, CancellationToken ct)
    {
        var latencies = stats.NewWorkerLatencies();
        try
        {
            await PacedAsync(settings.Rate, async () =>
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    // One request per connection, as the dialect wants: a user alone just logs a line.
                    await using var connection = await FramedConnection.ConnectAsync(settings.Host, settings.Port, ct);
                    await connection.SendAsync(HistoryClient.Request(user), ct);
                    connection.ShutdownSend();
                    var reply = await connection.ReadToEndAsync(HistoryFraming.MaxReplyBytes, ct);
                    if (HistoryClient.TryGetResponse(reply, out _))
                    {
                        stats.Succeeded(latencies, start);
                    }
                    else if (reply == HistoryReplies.TooManyRequests)
                    {
                        stats.Limited();
                    }
                    else
                    {
                        stats.Failed($"history replied {Board.BoardCommands.Shorten(reply)}");
                    }
                }
                catch (ClientException e)
                {
                    stats.Failed(e.Message);
                    await Backoff(ct);
                }
            }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public static async Task CryptoAsync(LoadSettings settings, LoadStats stats, int worker, CancellationToken ct)
    {
        var latencies = stats.NewWorkerLatencies();
        FramedConnection? connection = null;
        string? token = null;
        string text = "";
        long n = 0;
        try
        {
            // Alternates: encrypt a text, then decrypt its token and check the round trip.
            await PacedAsync(settings.Rate, async () =>
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    connection ??= await FramedConnection.ConnectAsync(settings.Host, settings.Port, CryptoFraming.Replies, ct);
                    if (token is null)
                    {
                        text = string.Create(CultureInfo.InvariantCulture, $"load {worker}-{++n}");
                        token = await Crypto.CryptoCommands.RequestAsync(connection, CryptoOperation.Encrypt, text, ct);
                        stats.Succeeded(latencies, start);
                    }
                    else
                    {
                        var back = await Crypto.CryptoCommands.RequestAsync(connection, CryptoOperation.Decrypt, token, ct);
                        token = null;
                        if (back == text)
                        {
                            stats.Succeeded(latencies, start);
                        }
                        else
                        {
                            stats.Failed("a token did not decrypt to its text");
                        }
                    }
                }
                catch (ClientException e)
                {
                    stats.Failed(e.Message);
                    token = null;
                    connection = await DropAsync(connection);
                    await Backoff(ct);
                }
            }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            await DropAsync(connection);
        }
    }

    private static async Task<FramedConnection?> DropAsync(FramedConnection? connection)
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        return null;
    }

    // After a failure, do not spin: a dead server would otherwise be hammered in a tight loop.
    private static Task Backoff(CancellationToken ct) => Task.Delay(TimeSpan.FromMilliseconds(100), ct);
}
