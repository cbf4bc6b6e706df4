using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SocketHub.Server.Tests.Chat;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Ops;

/// <summary><c>GET /metrics</c>, scraped as Prometheus would.</summary>
public sealed class PrometheusTests
{
    [Fact]
    public async Task Metrics_are_Prometheus_text_with_the_same_figures_as_the_audit()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using (var board = await TcpTestClient.ConnectAsync(server.BoardPort))
        {
            await board.SendAsync("POSTscraped%");
            Assert.Equal("MSGPosting Message!%", await board.ReadRepliesAsync(1));
        }

        await using var ada = await TextChatUser.LoginAsync(server, "ada");
        await ada.RoundTripAsync("whoelse", "End of list.");

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.OpsPort}") };
        using var audit = JsonDocument.Parse(await http.GetStringAsync("/audit", TestContext.Current.CancellationToken));
        using var response = await http.GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var metrics = Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        // The SocketHub meter reads the counters /audit reads.
        foreach (var dialect in audit.RootElement.GetProperty("dialects").EnumerateArray())
        {
            var name = dialect.GetProperty("name").GetString();
            Assert.Equal(dialect.GetProperty("total").GetInt64(), metrics[$"sockethub_connections_total dialect={name}"]);
            Assert.Equal(dialect.GetProperty("requests").GetInt64(), metrics[$"sockethub_requests_total dialect={name}"]);
            Assert.Equal(dialect.GetProperty("open").GetInt64(), metrics[$"sockethub_connections_open dialect={name}"]);
            Assert.Equal(dialect.GetProperty("bytesIn").GetInt64(), metrics[$"sockethub_bytes_in_bytes_total dialect={name}"]);
        }

        Assert.Equal(audit.RootElement.GetProperty("board").GetProperty("messages").GetInt64(), metrics["sockethub_board_messages"]);
        Assert.Equal(2, metrics["sockethub_board_messages"]);
        Assert.Equal(1, metrics["sockethub_chat_online"]);
        Assert.Equal(1, metrics["sockethub_connections_open dialect=chat"]);

        // Kestrel (every listener: the ops port and the raw TCP dialects), ASP.NET Core and the runtime.
        Assert.Contains(metrics.Keys, k => k.StartsWith($"kestrel_active_connections ", StringComparison.Ordinal) && k.Contains($"server_port={server.PortOf("chat")}", StringComparison.Ordinal));
        Assert.Contains(metrics.Keys, k => k.StartsWith("http_server_request_duration_seconds_count ", StringComparison.Ordinal) && k.Contains("http_route=/audit", StringComparison.Ordinal));
        Assert.Contains("dotnet_process_cpu_count", metrics.Keys);
        Assert.Contains(metrics.Keys, k => k.StartsWith("dotnet_gc_heap_total_allocated_bytes_total", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_token_the_metrics_need_it_and_the_request_log_never_shows_it()
    {
        await using var server = await TestServer.StartAsync("Ops:AuditToken=s3cret-token", "Serilog:MinimumLevel:Default=Information");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.OpsPort}") };

        using (var anonymous = await http.GetAsync("/metrics?token=s3cret-token", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        }

        using var right = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-token");
        using var ok = await http.SendAsync(right, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("sockethub_uptime_seconds", await ok.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        await server.StopAsync();

        // One line per request, in the data folder's rolling file; no token in any form.
        var log = string.Concat(Directory.GetFiles(Path.Combine(server.DataDirectory, "logs"), "sockethub-*.log").Select(ReadShared));
        var requests = log.Split('\n').Where(l => l.Contains("HTTP GET /metrics from 127.0.0.1 responded", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Contains(requests, l => l.Contains("responded 401", StringComparison.Ordinal));
        Assert.Contains(requests, l => l.Contains("responded 200", StringComparison.Ordinal));
        Assert.DoesNotContain("s3cret", log, StringComparison.Ordinal);
    }

    /// <summary>"name label=value ..." (labels sorted, otel_scope_name left out) to the sample's value.</summary>
    internal static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var close = line.LastIndexOf('}');
            var name = brace < 0 ? line[..line.IndexOf(' ', StringComparison.Ordinal)] : line[..brace];
            var rest = (brace < 0 ? line[name.Length..] : line[(close + 1)..]).Trim().Split(' ');
            IEnumerable<string> labels = brace < 0
                ? []
                : line[(brace + 1)..close].Split("\",", StringSplitOptions.RemoveEmptyEntries)
                    .Select(l => l.TrimEnd('"').Replace("=\"", "=", StringComparison.Ordinal))
                    .Where(l => !l.StartsWith("otel_scope_", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal);
            samples[string.Join(' ', [name, .. labels])] = double.Parse(rest[0], CultureInfo.InvariantCulture);
        }

        return samples;
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
