using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;
using SocketHub.Server.Tests.Chat;
using SocketHub.Server.Tests.Crypto;
using SocketHub.Server.Tests.History;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Ops;

/// <summary>
/// The instructor's page in a real browser: Debian's chromium driven by Playwright (its own browser
/// download is not used). The page runs its script against a real server after real activity on
/// every dialect, and what it renders is checked against /audit.
/// </summary>
public sealed class InstructorPageBrowserTests
{
    /// <summary>chromium's path; <c>SOCKETHUB_CHROMIUM</c> overrides it.</summary>
    private static readonly string Chromium = Environment.GetEnvironmentVariable("SOCKETHUB_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private const string Markup = "<img src=x onerror=alert(1)><b>bold</b> from the browser test";

    [Fact]
    public async Task The_page_shows_what_the_audit_says_and_student_markup_as_text()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With("History:Users:0=alice"));

        // Activity on every dialect: a board post carrying markup, two history requests, crypto
        // operations (one failing), text chat users (ada stays online, grace broadcasts and leaves),
        // a JSON chat user who stays, and a wrong password.
        await using (var board = await TcpTestClient.ConnectAsync(server.BoardPort))
        {
            await board.SendAsync($"POST{Markup}%");
            Assert.Equal("MSGPosting Message!%", await board.ReadRepliesAsync(1));
        }

        await server.AskAsync("alice\n");
        await server.AskAsync("alice 2\n");
        await using (var crypto = await TcpTestClient.ConnectAsync(server.PortOf("crypto")))
        {
            await crypto.EncryptAsync("x");
            await crypto.AskAsync("#de#not-a-token#");
        }

        await using var ada = await TextChatUser.LoginAsync(server, "ada");
        await using (var grace = await TextChatUser.LoginAsync(server, "grace"))
        {
            await grace.SendAsync("broadcast hello from grace");
            await ada.ExpectAsync("grace logged in", "grace (broadcast): hello from grace");
            await grace.LogoutAsync();
        }

        await using var json = await JsonChatUser.LoginAsync(server, "hopper");
        await using (var wrong = await JsonChatUser.ConnectAsync(server))
        {
            await wrong.SendAsync(JsonChatUser.Request("login", "grace", "not-her-password"));
            Assert.Contains("Invalid credentials", await wrong.ReadLineAsync(), StringComparison.Ordinal);
        }

        // A secure chat connection whose login is refused (an invalid name: no failed login counted).
        await using (var secure = await SocketHub.Server.Tests.SecureChat.SecureChatTestClient.ConnectAsync(server.PortOf("secure-chat")))
        {
            Assert.Equal("FAILURE", await secure.TryLoginAsync("not a name", "pw"));
        }

        await using var browser = await Browser.OpenAsync();
        var page = browser.Page;
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };

        await page.GotoAsync($"http://127.0.0.1:{server.OpsPort}/");
        await page.WaitForFunctionAsync("() => document.getElementById('updated').textContent !== 'never'");
        using var audit = await GetAuditAsync(server, token: null);
        var a = audit.RootElement;

        Assert.True(await page.Locator("#banner").IsHiddenAsync());
        Assert.Equal(Text(a, "board", "messages"), await page.TextContentAsync("#board-messages"));
        Assert.Equal(Text(a, "history", "lines"), await page.TextContentAsync("#history-lines"));
        Assert.Equal(Text(a, "crypto", "operations"), await page.TextContentAsync("#crypto-operations"));
        Assert.Equal(Text(a, "crypto", "failures"), await page.TextContentAsync("#crypto-failures"));
        Assert.Equal("1", await page.TextContentAsync("#crypto-failures"));
        Assert.Equal(Text(a, "chat", "accounts"), await page.TextContentAsync("#chat-accounts"));
        Assert.Equal(Text(a, "chat", "logins"), await page.TextContentAsync("#chat-logins"));
        Assert.Equal(Text(a, "chat", "failedLogins"), await page.TextContentAsync("#chat-failed"));
        Assert.Equal("1", await page.TextContentAsync("#chat-failed"));

        var online = a.GetProperty("chat").GetProperty("online").EnumerateArray().Select(u => u.GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["ada", "hopper"], online);
        Assert.Equal(online, (await page.Locator("#online li").AllTextContentsAsync()).Order(StringComparer.Ordinal));
        Assert.Equal("2", await page.TextContentAsync("#online-count"));

        // One row per dialect, with /audit's counters.
        var rows = page.Locator("#dialects tr");
        var dialects = a.GetProperty("dialects").EnumerateArray().ToList();
        Assert.Equal(dialects.Count, await rows.CountAsync());
        Assert.Equal(6, dialects.Count);
        for (var i = 0; i < dialects.Count; i++)
        {
            var cells = await rows.Nth(i).Locator("th, td").AllTextContentsAsync();
            var d = dialects[i];
            Assert.Equal(d.GetProperty("name").GetString(), cells[0]);
            Assert.Equal(d.GetProperty("port").GetInt32().ToString(CultureInfo.InvariantCulture), cells[1]);
            Assert.Equal(d.GetProperty("tlsPort").GetInt32().ToString(CultureInfo.InvariantCulture), cells[2]);
            Assert.Equal([Number(d, "open"), Number(d, "total"), Number(d, "requests"), Number(d, "errors"), Number(d, "rejected")], cells.Skip(3).Take(5));
            Assert.NotEqual("0", cells[4]); // every dialect saw a connection
        }

        // The certificate students pin.
        Assert.Equal(a.GetProperty("tls").GetProperty("fingerprint").GetString(), await page.TextContentAsync("#tls-fingerprint"));

        var accounts = await page.Locator("#accounts th").AllTextContentsAsync();
        Assert.Equal(["ada online", "grace", "hopper online"], accounts.Select(t => t.Trim()).Order(StringComparer.Ordinal));

        // The post's markup is shown as text: no element was made from it and no script ran.
        var recent = await page.Locator("#recent").TextContentAsync();
        Assert.Contains($"127.0.0.1: post #2 \"{Markup}\"", recent, StringComparison.Ordinal);
        Assert.Contains("grace logged out", recent, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#recent img, #recent b, main img").CountAsync());
        Assert.Empty(dialogs);

        // The chart: 60 one-minute bars per figure, adding up to the connections and messages
        // /audit counts (everything happened since this server started, well inside the hour).
        long totalConnections = dialects.Sum(d => d.GetProperty("total").GetInt64());
        long totalMessages = dialects.Sum(d => d.GetProperty("requests").GetInt64());
        var lastHour = a.GetProperty("lastHour").EnumerateArray().ToList();
        Assert.Equal(60, lastHour.Count);
        Assert.Equal(totalConnections, lastHour.Sum(m => m.GetProperty("connections").GetInt64()));
        Assert.Equal(totalMessages, lastHour.Sum(m => m.GetProperty("messages").GetInt64()));

        Assert.Equal(60, await page.Locator("#chart-connections rect.bar").CountAsync());
        Assert.Equal(60, await page.Locator("#chart-messages rect.bar").CountAsync());
        Assert.Equal(totalConnections, await SumOfBarsAsync(page, "#chart-connections"));
        Assert.Equal(totalMessages, await SumOfBarsAsync(page, "#chart-messages"));
        Assert.Equal(totalConnections.ToString(CultureInfo.InvariantCulture), await page.TextContentAsync("#traffic-connections"));
        Assert.Equal(totalMessages.ToString(CultureInfo.InvariantCulture), await page.TextContentAsync("#traffic-messages"));
        // Bars are drawn to scale: the busiest minute is the tallest, an empty minute has no height.
        var heights = await page.Locator("#chart-connections rect.bar").EvaluateAllAsync<double[]>("bars => bars.map(b => b.getBBox().height)");
        var values = await page.Locator("#chart-connections rect.bar").EvaluateAllAsync<long[]>("bars => bars.map(b => Number(b.dataset.value))");
        Assert.Equal(Array.IndexOf(values, values.Max()), Array.IndexOf(heights, heights.Max()));
        Assert.All(values.Zip(heights), pair => Assert.Equal(pair.First == 0, pair.Second == 0));
    }

    [Fact]
    public async Task With_a_token_the_page_asks_for_it_and_then_shows_the_figures()
    {
        await using var server = await TestServer.StartAsync("Ops:AuditToken=browser-s3cret");
        await using var browser = await Browser.OpenAsync();
        var page = browser.Page;

        await page.GotoAsync($"http://127.0.0.1:{server.OpsPort}/");
        await page.Locator("#token-form").WaitForAsync();
        Assert.Contains("Send the audit token", await page.TextContentAsync("#banner"), StringComparison.Ordinal);
        Assert.Equal("never", await page.TextContentAsync("#updated"));

        await page.FillAsync("#token", "wrong-token");
        await page.ClickAsync("#token-form button");
        await page.WaitForFunctionAsync("() => document.getElementById('banner').textContent.includes('The token was refused')");

        await page.FillAsync("#token", "browser-s3cret");
        await page.ClickAsync("#token-form button");
        await page.WaitForFunctionAsync("() => document.getElementById('updated').textContent !== 'never'");
        Assert.True(await page.Locator("#token-form").IsHiddenAsync());
        Assert.True(await page.Locator("#banner").IsHiddenAsync());
        using var audit = await GetAuditAsync(server, "browser-s3cret");
        Assert.Equal(Text(audit.RootElement, "board", "messages"), await page.TextContentAsync("#board-messages"));
    }

    private static string Text(JsonElement audit, string section, string figure) =>
        audit.GetProperty(section).GetProperty(figure).GetInt64().ToString(CultureInfo.InvariantCulture);

    private static string Number(JsonElement element, string property) =>
        element.GetProperty(property).GetInt64().ToString(CultureInfo.InvariantCulture);

    private static async Task<long> SumOfBarsAsync(IPage page, string chart) =>
        await page.Locator($"{chart} rect.bar").EvaluateAllAsync<long>("bars => bars.reduce((sum, b) => sum + Number(b.dataset.value), 0)");

    private static async Task<JsonDocument> GetAuditAsync(TestServer server, string? token)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.OpsPort}") };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return JsonDocument.Parse(await http.GetStringAsync("/audit"));
    }

    /// <summary>Headless chromium with one page; disposing closes both and Playwright's driver.</summary>
    private sealed class Browser(IPlaywright playwright, IBrowser browser, IPage page) : IAsyncDisposable
    {
        public IPage Page { get; } = page;

        public static async Task<Browser> OpenAsync()
        {
            Assert.True(File.Exists(Chromium), $"No chromium at {Chromium}: install Debian's (apt-get install chromium; .ci/run does) or set SOCKETHUB_CHROMIUM.");
            var playwright = await Playwright.CreateAsync();
            try
            {
                var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true });
                var page = await browser.NewPageAsync(new BrowserNewPageOptions { Locale = "en-US" });
                // A shared, busy CI machine: give the page time rather than fail on a slow start.
                page.SetDefaultTimeout(60_000);
                return new Browser(playwright, browser, page);
            }
            catch
            {
                playwright.Dispose();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
