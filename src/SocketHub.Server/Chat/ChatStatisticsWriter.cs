using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SocketHub.Server.Data;

namespace SocketHub.Server.Chat;

/// <summary>
/// Writes the accounts' counters behind the commands that change them. A change only marks the
/// account (the counters themselves live in memory, see <see cref="ChatUserStats"/>); once every
/// <see cref="Interval"/>, one statement writes the counters of every marked account, whatever
/// their number, and the last pass runs when the host stops. So a busy room costs one small
/// write a second, and the statement's text never changes (a query whose text depends on how
/// many accounts changed would be compiled anew for each count). A <c>kill -9</c> loses at most
/// the last interval's counts.
/// </summary>
internal sealed class ChatStatisticsWriter : IAsyncDisposable
{
    /// <summary>How often marked counters are written.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    // One row per marked account, as a JSON array in one parameter: the text is the same for one
    // account or a thousand. Each provider reads the array with its own JSON functions.
    private const string SqliteUpdateSql = """
        UPDATE ChatAccounts
        SET Logons = json_extract(s.value, '$.logons'),
            Logoffs = json_extract(s.value, '$.logoffs'),
            MessagesSent = json_extract(s.value, '$.messages'),
            BroadcastsSent = json_extract(s.value, '$.broadcasts'),
            FailedLogins = json_extract(s.value, '$.failed'),
            LastLoginAt = json_extract(s.value, '$.at'),
            LastLoginAddress = json_extract(s.value, '$.address')
        FROM json_each({0}) AS s
        WHERE ChatAccounts.Username = json_extract(s.value, '$.user')
        """;

    // PostgreSQL parses "at" (the format below) into timestamptz itself.
    private const string PostgresUpdateSql = """
        UPDATE "ChatAccounts" AS a
        SET "Logons" = s.logons,
            "Logoffs" = s.logoffs,
            "MessagesSent" = s.messages,
            "BroadcastsSent" = s.broadcasts,
            "FailedLogins" = s.failed,
            "LastLoginAt" = s."at",
            "LastLoginAddress" = s.address
        FROM jsonb_to_recordset(CAST({0} AS jsonb)) AS s(
            "user" text, logons bigint, logoffs bigint, messages bigint, broadcasts bigint, failed bigint, "at" timestamptz, address text)
        WHERE a."Username" = s."user"
        """;

    // How Microsoft.Data.Sqlite writes a DateTimeOffset parameter, so rows written here read
    // back like rows EF wrote.
    private const string DateFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz";

    private readonly IDbContextFactory<SocketHubDb> _contexts;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<ChatUserStats> _marked = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ChatStatisticsWriter(IDbContextFactory<SocketHubDb> contexts, ILogger logger)
    {
        _contexts = contexts;
        _logger = logger;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The counters of <paramref name="stats"/> changed: they are written with the next pass.</summary>
    public void Changed(ChatUserStats stats)
    {
        if (stats.Mark())
        {
            _marked.Enqueue(stats);
        }
    }

    /// <summary>Writes what is marked and stops; again, it only waits for the first call.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        // Real time on purpose: how often the database is written is not part of the chat's clock.
        using var timer = new PeriodicTimer(Interval, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                await WriteAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the last pass follows.
        }

        await WriteAsync();
    }

    private async Task WriteAsync()
    {
        var accounts = new List<ChatUserStats>();
        var rows = new List<ChatUserStatistics>();
        while (_marked.TryDequeue(out var stats))
        {
            // Unmarked before it is read: a change from now on marks it for the next pass.
            stats.Unmark();
            accounts.Add(stats);
            rows.Add(stats.Snapshot());
        }

        if (rows.Count == 0)
        {
            return;
        }

        try
        {
            await using var db = await _contexts.CreateDbContextAsync();
            await db.Database.ExecuteSqlRawAsync(db.Database.IsNpgsql() ? PostgresUpdateSql : SqliteUpdateSql, Json(rows));
        }
        catch (Exception e)
        {
            // Counters only: they are marked again and the next pass writes them.
            ChatLog.StatisticsNotSaved(_logger, e, rows.Count);
            foreach (var stats in accounts)
            {
                Changed(stats);
            }
        }
    }

    private static string Json(IReadOnlyList<ChatUserStatistics> rows)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartObject();
                json.WriteString("user", row.User);
                json.WriteNumber("logons", row.Logons);
                json.WriteNumber("logoffs", row.Logoffs);
                json.WriteNumber("messages", row.MessagesSent);
                json.WriteNumber("broadcasts", row.BroadcastsSent);
                json.WriteNumber("failed", row.FailedLogins);
                json.WriteString("at", row.LastLoginAt?.ToString(DateFormat, CultureInfo.InvariantCulture));
                json.WriteString("address", row.LastLoginAddress);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
