using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SocketHub.Client.Net;
using SocketHub.Protocol.History;
using Spectre.Console;

namespace SocketHub.Client.Load;

/// <summary><c>load board|history|crypto|chat</c>: a load generator with live progress and a latency summary.</summary>
public static class LoadCommand
{
    private static readonly string[] Dialects = ["board", "history", "crypto", "chat"];

    public static Command Create(ClientIo io)
    {
        var dialect = new Argument<string>("dialect") { Description = "board | history | crypto | chat" };
        dialect.AcceptOnlyFromAmong(Dialects);
        var host = CommonOptions.Host();
        var port = new Option<int?>("--port", "-p") { Description = "Server port (default: the dialect's, 8080, 5007, 8000 or 12001)" };
        var connections = new Option<int>("--connections", "-c") { Description = "Concurrent connections (chat: logged-in users)", DefaultValueFactory = _ => 10 };
        var duration = new Option<double>("--duration", "-d") { Description = "Seconds to measure for", DefaultValueFactory = _ => 10 };
        var rate = new Option<double?>("--rate", "-r")
        {
            Description = "Requests per second per connection, 0 for as fast as possible (default: 0; chat: 4, under the server's default flood limit of 5 lines a second per user)",
        };
        var loginConcurrency = new Option<int>("--login-concurrency")
        {
            Description = "chat: logins in flight at once (each costs the server a slow password hash)",
            DefaultValueFactory = _ => 4,
        };
        var user = new Option<string?>("--user", "-u") { Description = "history: the username to send (default: one from 'new')" };
        var command = new Command("load", "Generate load on one dialect and summarise throughput, errors, rate limiting and latency")
        {
            dialect, connections, duration, rate, loginConcurrency, user, host, port,
        };
        command.SetAction(async (r, ct) =>
        {
            var name = r.GetRequiredValue(dialect);
            var tls = CommonOptions.Tls(r);
            var settings = new LoadSettings(
                new ServerAddress(r.GetRequiredValue(host), r.GetValue(port) ?? DefaultPort(name) + (tls is null ? 0 : CommonOptions.TlsPortDistance), tls),
                r.GetValue(connections),
                TimeSpan.FromSeconds(r.GetValue(duration)),
                r.GetValue(rate) ?? DefaultRate(name),
                r.GetValue(loginConcurrency),
                r.GetValue(user));
            if (settings.Connections is < 1 or > 10_000 || settings.Duration <= TimeSpan.Zero || settings.Duration > TimeSpan.FromHours(24)
                || settings.Rate < 0 || settings.LoginConcurrency < 1)
            {
                throw new ClientException(ExitCodes.Usage, "need 1-10000 --connections, a --duration above 0 s, a --rate of 0 or more, and --login-concurrency of 1 or more");
            }

            return await RunAsync(io, name, settings, ct);
        });
        return command;
    }

    /// <summary>
    /// Chat users flat out would mostly measure the flood control (<c>Error. Slow down</c>), so a
    /// chat load stays under the server's default limit unless asked otherwise.
    /// </summary>
    private static double DefaultRate(string dialect) => dialect == "chat" ? ChatDefaultRate : 0;

    private const double ChatDefaultRate = 4;

    private static int DefaultPort(string dialect) => dialect switch
    {
        "board" => CommonOptions.BoardPort,
        "history" => CommonOptions.HistoryPort,
        "crypto" => CommonOptions.CryptoPort,
        _ => CommonOptions.ChatJsonPort,
    };

    private static async Task<int> RunAsync(ClientIo io, string dialect, LoadSettings settings, CancellationToken ct)
    {
        var stats = new LoadStats();
        await using var chat = dialect == "chat" ? new ChatLoad(stats) : null;
        Func<CancellationToken, Task> run;
        switch (dialect)
        {
            case "chat":
                await CheckReachableAsync(settings, ct);
                await io.Out.WriteLineAsync($"Logging in {settings.Connections} chat clients, {settings.LoginConcurrency} at a time...");
                var lastShown = Stopwatch.GetTimestamp();
                await chat!.LoginAsync(settings, done =>
                {
                    // Logins are slow (a password hash each): show progress about once a second, and at the end.
                    if (done == settings.Connections || Stopwatch.GetElapsedTime(lastShown) >= TimeSpan.FromSeconds(1))
                    {
                        lastShown = Stopwatch.GetTimestamp();
                        lock (io.Out)
                        {
                            io.Out.WriteLine($"  logged in {done}/{settings.Connections}");
                        }
                    }
                }, ct);
                run = token => chat.RunAsync(settings.Rate, token);
                break;
            case "history":
                var historyUser = settings.HistoryUser ?? await NewHistoryUserAsync(settings, ct);
                run = token => Task.WhenAll(Enumerable.Range(1, settings.Connections)
                    .Select(_ => Task.Run(() => LoadWorkers.HistoryAsync(settings, stats, historyUser, token), CancellationToken.None)));
                break;
            default:
                await CheckReachableAsync(settings, ct);
                run = token => Task.WhenAll(Enumerable.Range(1, settings.Connections)
                    .Select(i => Task.Run(
                        () => dialect == "board" ? LoadWorkers.BoardAsync(settings, stats, i, token) : LoadWorkers.CryptoAsync(settings, stats, i, token),
                        CancellationToken.None)));
                break;
        }

        await io.Out.WriteLineAsync($"Load on {dialect} at {settings.Server}: {settings.Connections} connection(s), " +
            $"{settings.Duration.TotalSeconds:0.#} s, rate {(settings.Rate > 0 ? settings.Rate.ToString("0.##", CultureInfo.InvariantCulture) + "/s per connection" : "unlimited")}");
        await io.Out.FlushAsync(ct);

        using var window = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stats.Measuring = true;
        var started = Stopwatch.GetTimestamp();
        window.CancelAfter(settings.Duration);
        var workers = run(window.Token);
        await ShowProgressAsync(io, stats, started, workers, dialect == "chat");
        await workers;
        stats.Measuring = false;
        var elapsed = Stopwatch.GetElapsedTime(started);

        PrintSummary(io, dialect, settings, stats, elapsed, chat?.LoggedIn);
        if (stats.Errors > 0)
        {
            await io.Error.WriteLineAsync($"sockethub: {stats.Errors} request(s) failed; the first: {stats.FirstError}");
            return ExitCodes.Failure;
        }

        return ExitCodes.Success;
    }

    private static async Task ShowProgressAsync(ClientIo io, LoadStats stats, long started, Task workers, bool chat)
    {
        string Line()
        {
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"[{seconds,5:0.0} s] {stats.Requests} requests ({stats.Requests / Math.Max(seconds, 0.001):0}/s), {stats.Errors} errors, {stats.RateLimited} rate-limited");
            return chat ? line + string.Create(CultureInfo.InvariantCulture, $", {stats.Deliveries} deliveries") : line;
        }

        if (io.OutputIsTerminal)
        {
            await io.Console.Live(new Text(Line())).StartAsync(async context =>
            {
                while (await Task.WhenAny(workers, Task.Delay(TimeSpan.FromSeconds(1))) != workers)
                {
                    context.UpdateTarget(new Text(Line()));
                }

                context.UpdateTarget(new Text(Line()));
            });
            return;
        }

        while (await Task.WhenAny(workers, Task.Delay(TimeSpan.FromSeconds(1))) != workers)
        {
            await io.Out.WriteLineAsync(Line());
            await io.Out.FlushAsync();
        }
    }

    private static void PrintSummary(ClientIo io, string dialect, LoadSettings settings, LoadStats stats, TimeSpan elapsed, int? loggedIn)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
        var (p50, p90, p99, max) = stats.Percentiles();
        var table = new Table().AddColumn("Measure").AddColumn(new TableColumn("Value").RightAligned());
        void Row(string name, string value) => table.AddRow(new Text(name), new Text(value));
        Row("dialect", dialect);
        Row("connections", loggedIn is { } n ? $"{n} logged in of {settings.Connections}" : settings.Connections.ToString(CultureInfo.InvariantCulture));
        Row("duration", string.Create(CultureInfo.InvariantCulture, $"{seconds:0.00} s"));
        Row("requests", stats.Requests.ToString(CultureInfo.InvariantCulture));
        Row("requests/s", string.Create(CultureInfo.InvariantCulture, $"{stats.Requests / seconds:0.0}"));
        Row("errors", stats.Errors.ToString(CultureInfo.InvariantCulture));
        Row("rate-limited", stats.RateLimited.ToString(CultureInfo.InvariantCulture));
        Row("latency p50", Ms(p50));
        Row("latency p90", Ms(p90));
        Row("latency p99", Ms(p99));
        Row("latency max", Ms(max));
        if (dialect == "chat")
        {
            Row("deliveries", stats.Deliveries.ToString(CultureInfo.InvariantCulture));
            Row("deliveries/s", string.Create(CultureInfo.InvariantCulture, $"{stats.Deliveries / seconds:0.0}"));
        }

        io.Console.Write(table);

        // One plain line for scripts (and tests): key=value pairs.
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"summary: dialect={dialect} requests={stats.Requests} rps={stats.Requests / seconds:0.0} errors={stats.Errors} rate_limited={stats.RateLimited} p50_ms={p50:0.00} p90_ms={p90:0.00} p99_ms={p99:0.00} max_ms={max:0.00}");
        if (dialect == "chat")
        {
            summary += string.Create(CultureInfo.InvariantCulture, $" deliveries={stats.Deliveries} deliveries_per_s={stats.Deliveries / seconds:0.0}");
        }

        io.Out.WriteLine(summary);
        if (stats.RateLimited > 0)
        {
            io.Out.WriteLine($"hint: {stats.RateLimited} request(s) were refused by the server's rate limit ({LimitText(dialect)}), not counted as errors. " +
                $"For a benchmark, start the server with higher limits: {LimitSettings(dialect)}");
        }
    }

    private static string LimitText(string dialect) => dialect switch
    {
        "board" => "ERRRate Limited%",
        "history" => "Too many requests.",
        _ => "Error. Slow down",
    };

    private static string LimitSettings(string dialect) => dialect switch
    {
        "board" => "--Board:PostsPerSecond=100000 --Board:PostBurst=100000 (per address; defaults 10 and 20)",
        "history" => "--History:RequestsPerSecond=100000 --History:RequestBurst=100000 (per address; defaults 10 and 20)",
        _ => "--Chat:LinesPerSecond=100000 --Chat:LineBurst=100000 (per user; defaults 5 and 10), or a --rate below 5",
    };

    private static string Ms(double ms) => string.Create(CultureInfo.InvariantCulture, $"{ms:0.00} ms");

    private static async Task CheckReachableAsync(LoadSettings settings, CancellationToken ct)
    {
        await using var probe = await FramedConnection.ConnectAsync(settings.Server, ct);
    }

    private static async Task<string> NewHistoryUserAsync(LoadSettings settings, CancellationToken ct)
    {
        await using var connection = await FramedConnection.ConnectAsync(settings.Server, ct);
        await connection.SendAsync(HistoryClient.Request(HistoryRequest.NewUserWord), ct);
        await connection.ShutdownSendAsync();
        var reply = await connection.ReadToEndAsync(HistoryFraming.MaxReplyBytes, ct);
        return HistoryClient.TryGetNewUsername(reply, out var name)
            ? name
            : throw new ClientException(ExitCodes.ServerError, $"could not get a history username: {Board.BoardCommands.Shorten(reply)}");
    }
}
