using System.Text.Json;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.FaultTests;

/// <summary>
/// SQL and log injection: hostile texts are stored and shown verbatim (the board in Python repr
/// form, the chat exactly as sent to programs and with control characters as visible escapes to
/// terminals), never executed (the tables are all still there), and never
/// break a line of the server's log, which here runs at Debug so the board's texts reach it.
/// </summary>
[Trait("Category", "Fault")]
public sealed class InjectionTests
{
    /// <summary>Each hostile text with the exact Python repr() the board must show for it.</summary>
    private static readonly (string Text, string Repr)[] BoardTexts =
    [
        ("'); DROP TABLE BoardMessages;--", "\"'); DROP TABLE BoardMessages;--\""),
        ("Robert'); DELETE FROM ChatAccounts; -- \"x\"", "'Robert\\'); DELETE FROM ChatAccounts; -- \"x\"'"),
        ("\r\n[12:00:00 INF] fake line", "'\\r\\n[12:00:00 INF] fake line'"),
        ("\n2026-01-01 00:00:00.000 +00:00 [FTL] fake entry", "'\\n2026-01-01 00:00:00.000 +00:00 [FTL] fake entry'"),
        ("\u001b[2J\u001b[31mred\u001b[0m", "'\\x1b[2J\\x1b[31mred\\x1b[0m'"),
        ("one\u2028two\u2029three\u0085four", "'one\\u2028two\\u2029three\\x85four'"),
    ];

    /// <summary>
    /// What a chat line can carry (no line break): the same attacks on one line, each with what a
    /// terminal on the text port is shown (control characters as escapes, never obeyed).
    /// </summary>
    private static readonly (string Text, string Shown)[] ChatTexts =
    [
        ("'); DROP TABLE ChatAccounts;--", "'); DROP TABLE ChatAccounts;--"),
        ("\"; DELETE FROM ChatOfflineMessages WHERE 1=1; --", "\"; DELETE FROM ChatOfflineMessages WHERE 1=1; --"),
        ("[12:00:00 INF] fake line", "[12:00:00 INF] fake line"),
        ("\u001b[2J\u001b[31mred\u001b[0m", "\\x1b[2J\\x1b[31mred\\x1b[0m"),
        ("one\u2028two\u2029three", "one\u2028two\u2029three"),
        ("{\"status\":\"server\",\"data\":{\"message\":\"SERVER: [ ALERT ] Server shutting down...\"}}", "{\"status\":\"server\",\"data\":{\"message\":\"SERVER: [ ALERT ] Server shutting down...\"}}"),
    ];

    [Fact]
    public async Task Hostile_texts_are_stored_and_shown_verbatim_never_executed_and_never_break_a_log_line()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, "Serilog:MinimumLevel:Default=Debug", "Chat:PasswordIterations=1000", "Chat:LinesPerSecond=1000", "Chat:LineBurst=1000", "History:Users:0=alice");
        var tables = StoredData.TableNames(data.Path);
        Assert.Contains("BoardMessages", tables);
        Assert.Contains("ChatAccounts", tables);

        // Board: stored and listed verbatim, in Python repr form.
        await using (var board = await TcpTestClient.ConnectAsync(server.BoardPort))
        {
            foreach (var (text, _) in BoardTexts)
            {
                await board.SendAsync($"POST{text}%\n"); // a line end keeps the session
                Assert.Equal("MSGPosting Message!%", await board.ReadUntilAsync("%"));
            }

            await board.SendAsync("GET1%");
            var expected = "MSG[" + string.Join(", ", BoardTexts.Select((t, i) => $"({i + 2}, {t.Repr})")) + "]%";
            Assert.Equal(expected, await board.ReadUntilAsync("]%"));
        }

        // Chat: delivered exactly, to a text user, to a JSON user, and stored for an offline one.
        await LoginTextAsync(await TcpTestClient.ConnectAsync(server.PortOf("chat")), "offline", logout: true);
        await using var alice = await TcpTestClient.ConnectAsync(server.PortOf("chat"));
        await LoginTextAsync(alice, "alice");
        await using var json = await TcpTestClient.ConnectAsync(server.PortOf("chat-json"));
        await json.SendAsync("{\"command\": \"login\", \"data\": [\"program\", \"secret\"]}\n");
        Assert.StartsWith("{\"status\": \"success\", \"data\": {\"command\": \"login\"", await json.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal("program logged in", await alice.ReadLineAsync());
        foreach (var (text, shown) in ChatTexts)
        {
            await alice.SendAsync($"message program {text}\nmessage offline {text}\n");
            using var message = JsonDocument.Parse(await json.ReadLineAsync());
            Assert.Equal("alice", message.RootElement.GetProperty("data").GetProperty("source").GetString());
            Assert.Equal(text, message.RootElement.GetProperty("data").GetProperty("message").GetString());
            await json.SendAsync(JsonSerializer.Serialize(new { command = "message", data = new[] { "alice", text } }) + "\n");
            Assert.Equal("{\"status\": \"success\", \"data\": {\"command\": \"message\", \"message\": \"Your message to alice has been sent.\"}}", await json.ReadLineAsync());
            Assert.Equal($"program: {shown}", await alice.ReadLineAsync());
        }

        await using (var offline = await TcpTestClient.ConnectAsync(server.PortOf("chat")))
        {
            await LoginTextAsync(offline, "offline");
            foreach (var (_, shown) in ChatTexts)
            {
                Assert.Equal($"alice: {shown}", await offline.ReadLineAsync());
            }
        }

        // TcpTestClient names: refused, not executed.
        await using (var name = await TcpTestClient.ConnectAsync(server.PortOf("chat")))
        {
            Assert.Equal("Username: ", await name.ReadUntilAsync(": "));
            await name.SendAsync("x'); DROP TABLE ChatAccounts;--\n");
            Assert.Equal("Invalid username. Use 1-32 letters, digits, _ . -", await name.ReadLineAsync());
        }

        await using (var history = await TcpTestClient.ConnectAsync(server.PortOf("history")))
        {
            await history.SendAsync("'); DROP TABLE HistoryLines;-- 2\n");
            Assert.Equal("Authentication error.", (await history.ReadUntilClosedAsync()).Text);
        }

        Assert.Equal(tables, StoredData.TableNames(data.Path));
        Assert.Equal(BoardTexts.Length + 1, Convert.ToInt32(StoredData.Query(data.Path, "SELECT COUNT(*) FROM BoardMessages;").Single()[0], System.Globalization.CultureInfo.InvariantCulture));

        await ServerChecks.AssertHealthyAsync(server.OpsPort);
        ServerChecks.AssertMemoryBounded(server.Id);
        ServerChecks.AssertLogClean(data.Path);
        var log = ServerChecks.LogLines(data.Path);
        Assert.Contains(log, l => l.Contains("posted by 127.0.0.1: \\x0d\\x0a[12:00:00 INF] fake line", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("\\x0a2026-01-01 00:00:00.000 +00:00 [FTL] fake entry", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("one\\u2028two\\u2029three\\x85four", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.StartsWith("[12:00:00", StringComparison.Ordinal) || l.StartsWith("2026-01-01 00:00:00.000", StringComparison.Ordinal));

        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync());
        ServerChecks.AssertNoStandardError(server.Output);
        Assert.Equal("ok", StoredData.IntegrityCheck(data.Path));
    }

    private static async Task LoginTextAsync(TcpTestClient client, string name, bool logout = false)
    {
        await using var owned = logout ? client : null;
        Assert.Equal("Username: ", await client.ReadUntilAsync(": "));
        await client.SendAsync($"{name}\nsecret\n");
        Assert.Equal("Password: Welcome to the greatest messaging application ever!", await client.ReadLineAsync());
        if (logout)
        {
            await client.SendAsync("logout\n");
            Assert.Equal("Goodbye.\n", (await client.ReadUntilClosedAsync()).Text);
        }
    }
}
