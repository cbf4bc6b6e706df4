using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Ops;
using SocketHub.Server.Tests.Chat;
using SocketHub.Server.Tests.Crypto;
using SocketHub.Server.Tests.History;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Ops;

public sealed class AuditTests
{
    [Fact]
    public async Task Audit_shows_every_dialect_and_the_figures_of_each()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With("History:Users:0=alice"));

        await using (var board = await TcpTestClient.ConnectAsync(server.BoardPort))
        {
            await board.SendAsync("POSThello audit%");
            Assert.Equal("MSGPosting Message!%", await board.ReadRepliesAsync(1));
        }

        await server.AskAsync("alice 2\n");
        await server.AskAsync("alice 2\n");

        await using (var crypto = await TcpTestClient.ConnectAsync(server.PortOf("crypto")))
        {
            await crypto.EncryptAsync("x");
            await crypto.AskAsync("#de#not-a-token#");
        }

        await using var carol = await TextChatUser.LoginAsync(server, "carol");
        await carol.SendAsync("broadcast hi");
        await carol.ExpectNothingElseAsync(); // the broadcast is done once help has come back

        using var audit = await GetAuditAsync(server);
        var root = audit.RootElement;

        var dialects = root.GetProperty("dialects").EnumerateArray().ToDictionary(d => d.GetProperty("name").GetString()!);
        Assert.Equal(["board", "history", "crypto", "chat", "chat-json", "secure-chat"], dialects.Keys);
        Assert.Equal(server.BoardPort, dialects["board"].GetProperty("port").GetInt32());
        Assert.Equal(1, dialects["board"].GetProperty("total").GetInt64());
        Assert.Equal(1, dialects["board"].GetProperty("requests").GetInt64());
        Assert.Equal(2, dialects["history"].GetProperty("total").GetInt64());
        Assert.Equal(1, dialects["crypto"].GetProperty("errors").GetInt64());
        Assert.Equal(1, dialects["chat"].GetProperty("open").GetInt64());
        Assert.True(dialects["board"].GetProperty("bytesIn").GetInt64() > 0);

        Assert.Equal(2, root.GetProperty("board").GetProperty("messages").GetInt64()); // 'Server has Started' + ours
        Assert.Equal(4, root.GetProperty("history").GetProperty("lines").GetInt64()); // each listing logs its request and then who got it
        Assert.Equal(1, root.GetProperty("crypto").GetProperty("encrypted").GetInt64());
        Assert.Equal(1, root.GetProperty("crypto").GetProperty("failures").GetInt64());

        var chat = root.GetProperty("chat");
        Assert.Equal(["carol"], chat.GetProperty("online").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(1, chat.GetProperty("accounts").GetInt32());
        var carolStats = chat.GetProperty("users").EnumerateArray().Single();
        Assert.Equal("carol", carolStats.GetProperty("user").GetString());
        Assert.Equal(1, carolStats.GetProperty("logons").GetInt64());
        Assert.Equal(1, carolStats.GetProperty("broadcastsSent").GetInt64());
        Assert.Equal("127.0.0.1", carolStats.GetProperty("lastLoginAddress").GetString());

        var recent = root.GetProperty("recent").EnumerateArray().Select(e => e.GetProperty("text").GetString()).ToList();
        Assert.Contains("127.0.0.1: post #2 \"hello audit\"", recent);
        Assert.Contains("127.0.0.1: show the history", recent);
        Assert.Contains("carol logged in from 127.0.0.1", recent);
        Assert.DoesNotContain(recent, text => text!.Contains("alice", StringComparison.Ordinal)); // history user words are passwords
    }

    [Fact]
    public async Task Counts_follow_deletes_and_delete_all()
    {
        await using var server = await TestServer.StartAsync("History:Users:0=alice");
        for (var i = 0; i < 4; i++)
        {
            await server.AskAsync("alice\n");
        }

        await server.AskAsync("alice 1 1\n"); // +1 logged, -1 deleted, +1 'Deleted at: 1'
        Assert.Equal(5, await HistoryLinesAsync(server));
        Assert.Equal(await server.CountAsync(), await HistoryLinesAsync(server));

        await server.AskAsync("alice 3\n"); // emptied, then 'delete_all by ...'
        Assert.Equal(1, await HistoryLinesAsync(server));
        Assert.Equal(await server.CountAsync(), await HistoryLinesAsync(server));
    }

    [Fact]
    public async Task Counts_survive_a_restart()
    {
        using var data = new TempDirectory();
        await using (var first = await TestServer.StartInAsync(data.Path, "History:Users:0=alice"))
        {
            await first.AskAsync("alice\n");
        }

        await using var second = await TestServer.StartInAsync(data.Path, "History:Users:0=alice");
        Assert.Equal(1, await HistoryLinesAsync(second));
    }

    [Fact]
    public async Task With_a_token_the_audit_needs_it()
    {
        await using var server = await TestServer.StartAsync("Ops:AuditToken=s3cret-token");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.OpsPort}") };

        using (var anonymous = await http.GetAsync("/audit"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Contains("Authorization: Bearer", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/audit"))
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-tokeN");
            using var response = await http.SendAsync(wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var right = new HttpRequestMessage(HttpMethod.Get, "/audit");
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-token");
        using var ok = await http.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var body = JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
        Assert.Equal(6, body.RootElement.GetProperty("dialects").GetArrayLength());
    }

    [Fact]
    public async Task Uptime_is_the_time_since_the_server_started_on_its_clock()
    {
        var clock = new ManualTimeProvider();
        var start = clock.GetUtcNow();
        await using var server = await TestServer.StartAsync(null, services => services.AddSingleton<TimeProvider>(clock), []);

        clock.Advance(TimeSpan.FromSeconds(90.4));
        using var audit = await GetAuditAsync(server);

        Assert.Equal(start, audit.RootElement.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(90.4, audit.RootElement.GetProperty("uptimeSeconds").GetDouble());
    }

    [Theory]
    [InlineData("127.0.0.1", null, StatusCodes.Status200OK)]
    [InlineData("::1", null, StatusCodes.Status200OK)]
    [InlineData("::ffff:127.0.0.1", null, StatusCodes.Status200OK)]
    [InlineData("10.1.2.3", null, StatusCodes.Status403Forbidden)]
    [InlineData("172.17.0.1", null, StatusCodes.Status403Forbidden)] // docker's gateway: the host is not loopback to a container
    [InlineData("10.1.2.3", "Bearer tok", StatusCodes.Status200OK)]
    [InlineData("127.0.0.1", "Bearer nope", StatusCodes.Status401Unauthorized)]
    [InlineData("127.0.0.1", "Basic tok", StatusCodes.Status401Unauthorized)]
    public void Without_a_token_only_loopback_is_answered(string remote, string? authorization, int expected)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        var token = authorization is null ? null : "tok";
        var refusal = AuditEndpoints.Refusal(context, token);
        Assert.Equal(expected, refusal is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK);
    }

    [Theory]
    [InlineData("localhost:8088", StatusCodes.Status200OK)]
    [InlineData("127.0.0.1:8088", StatusCodes.Status200OK)]
    [InlineData("127.1.2.3", StatusCodes.Status200OK)]
    [InlineData("[::1]:8088", StatusCodes.Status200OK)]
    [InlineData("LOCALHOST", StatusCodes.Status200OK)]
    [InlineData("evil.example", StatusCodes.Status403Forbidden)]
    [InlineData("evil.example:8088", StatusCodes.Status403Forbidden)]
    [InlineData("localhost.evil.example", StatusCodes.Status403Forbidden)]
    [InlineData("10.1.2.3:8088", StatusCodes.Status403Forbidden)]
    public void Without_a_token_a_loopback_request_must_name_a_loopback_host(string host, int expected)
    {
        // A page on evil.example whose name was rebound to 127.0.0.1 makes the browser send
        // loopback requests with Host: evil.example; they must not read the audit.
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        context.Request.Headers.Host = host;
        var refusal = AuditEndpoints.Refusal(context, token: null);
        Assert.Equal(expected, refusal is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK);
    }

    [Fact]
    public async Task The_meter_publishes_the_same_figures_as_the_audit()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using (var board = await TcpTestClient.ConnectAsync(server.BoardPort))
        {
            await board.SendAsync("POSTone%POSTtwo%");
            await board.ReadRepliesAsync(2);
        }

        await using var dan = await TextChatUser.LoginAsync(server, "dan");

        using var audit = await GetAuditAsync(server);
        var seen = MeterReadings.Read(server);
        var root = audit.RootElement;
        Assert.Equal(root.GetProperty("board").GetProperty("messages").GetInt64(), seen["sockethub.board.messages"]);
        Assert.Equal(3, seen["sockethub.board.messages"]);
        Assert.Equal(root.GetProperty("history").GetProperty("lines").GetInt64(), seen["sockethub.history.lines"]);
        Assert.Equal(1, seen["sockethub.chat.online"]);
        Assert.Equal(root.GetProperty("chat").GetProperty("accounts").GetInt32(), seen["sockethub.chat.accounts"]);
        Assert.Equal(root.GetProperty("chat").GetProperty("logins").GetInt64(), seen["sockethub.chat.logins"]);
        Assert.Equal(0, seen["sockethub.chat.lockouts"]);
    }

    private static async Task<JsonDocument> GetAuditAsync(TestServer server)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.OpsPort}") };
        using var response = await http.GetAsync("/audit");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static async Task<long> HistoryLinesAsync(TestServer server)
    {
        using var audit = await GetAuditAsync(server);
        return audit.RootElement.GetProperty("history").GetProperty("lines").GetInt64();
    }
}
