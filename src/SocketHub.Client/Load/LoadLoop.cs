using System.Diagnostics;
using SocketHub.Client.Net;

namespace SocketHub.Client.Load;

/// <summary>
/// One load worker's loop, the same for every dialect: send a request, paced at the rate, time
/// it and count how it went, until the run's window ends. Only what a request is, and what to do
/// after one failed (connect again, or stop), belong to the dialect.
/// </summary>
public static class LoadLoop
{
    /// <summary>The pause after a failure: a dead server would otherwise be hammered in a tight loop.</summary>
    public static readonly TimeSpan FailurePause = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Runs <paramref name="request"/> repeatedly until <paramref name="ct"/> ends. A request that
    /// throws a <see cref="ClientException"/> (or times out) counts as failed with the exception's
    /// message, then <paramref name="afterFailure"/> runs. Failure reasons start with
    /// <paramref name="worker"/> and a colon when it is given (the chat's users are named).
    /// </summary>
    public static async Task RunAsync(
        LoadStats stats,
        double rate,
        Func<CancellationToken, Task<LoadOutcome>> request,
        Func<CancellationToken, Task> afterFailure,
        CancellationToken ct,
        string? worker = null)
    {
        var latencies = stats.NewWorkerLatencies();
        string Reason(string reason) => worker is null ? reason : $"{worker}: {reason}";
        try
        {
            await PacedAsync(rate, async () =>
            {
                var start = Stopwatch.GetTimestamp();
                LoadOutcome outcome;
                try
                {
                    outcome = await request(ct);
                }
                catch (Exception e) when (e is ClientException or TimeoutException)
                {
                    stats.Failed(Reason(e.Message));
                    await afterFailure(ct);
                    return;
                }

                switch (outcome.Kind)
                {
                    case LoadOutcomeKind.Succeeded:
                        stats.Succeeded(latencies, start);
                        break;
                    case LoadOutcomeKind.Limited:
                        stats.Limited();
                        break;
                    default:
                        stats.Failed(Reason(outcome.Reason ?? "failed"));
                        break;
                }
            }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>After a failure: wait <see cref="FailurePause"/>, then go on.</summary>
    public static Task PauseAsync(CancellationToken ct) => Task.Delay(FailurePause, ct);

    /// <summary>After a failure: this worker is done; wait for the end of the run.</summary>
    public static Task StopAsync(CancellationToken ct) => Task.Delay(Timeout.Infinite, ct);

    /// <summary>Runs <paramref name="once"/> repeatedly until <paramref name="ct"/> ends, paced at the rate (0: flat out).</summary>
    private static async Task PacedAsync(double rate, Func<Task> once, CancellationToken ct)
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
}
