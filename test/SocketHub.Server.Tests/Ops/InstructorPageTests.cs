using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Ops;

public sealed partial class InstructorPageTests
{
    [Fact]
    public async Task Root_serves_the_page_with_a_strict_policy_and_its_script()
    {
        await using var server = await TestServer.StartAsync();
        using var http = Client(server);
        using var response = await http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        AssertSafetyHeaders(response);

        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>SocketHub</title>", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/page.js\"", html, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/page.css\">", html, StringComparison.Ordinal);
        // The policy forbids inline script and style, so the page must not rely on any.
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(InlineHandler(), html);
    }

    [Fact]
    public async Task The_script_and_the_style_sheet_are_served()
    {
        await using var server = await TestServer.StartAsync();
        using var http = Client(server);

        using var script = await http.GetAsync("/page.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        AssertSafetyHeaders(script);
        var js = await script.Content.ReadAsStringAsync();
        Assert.Contains("fetch(\"/audit\"", js, StringComparison.Ordinal);
        // Student-provided text must never be parsed as HTML.
        Assert.DoesNotContain("innerHTML", js, StringComparison.Ordinal);
        Assert.DoesNotContain("outerHTML", js, StringComparison.Ordinal);
        Assert.DoesNotContain("insertAdjacentHTML", js, StringComparison.Ordinal);
        Assert.DoesNotContain("document.write", js, StringComparison.Ordinal);

        using var css = await http.GetAsync("/page.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        AssertSafetyHeaders(css);
        Assert.Contains("font-size", await css.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/page.png")]
    [InlineData("/index.html")]
    [InlineData("/page.js.map")]
    [InlineData("/Ops/Page/page.js")]
    public async Task Unknown_assets_are_not_found(string path)
    {
        await using var server = await TestServer.StartAsync();
        using var http = Client(server);
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Head_answers_the_headers_without_a_body()
    {
        await using var server = await TestServer.StartAsync();
        using var http = Client(server);
        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        AssertSafetyHeaders(response);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_revalidation_with_the_same_etag_answers_not_modified()
    {
        await using var server = await TestServer.StartAsync();
        using var http = Client(server);
        using var first = await http.GetAsync("/page.js");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/page.js");
        again.Headers.IfNoneMatch.Add(etag);
        using var response = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());

        using var other = new HttpRequestMessage(HttpMethod.Get, "/page.js");
        other.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var changed = await http.SendAsync(other);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    [Fact]
    public async Task The_page_is_served_without_the_token_while_the_audit_still_asks_for_it()
    {
        await using var server = await TestServer.StartAsync("Ops:AuditToken=secret");
        using var http = Client(server);

        using var page = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        using var audit = await http.GetAsync("/audit");
        Assert.Equal(HttpStatusCode.Unauthorized, audit.StatusCode);
    }

    private static HttpClient Client(TestServer server) =>
        new() { BaseAddress = new Uri($"http://127.0.0.1:{server.OpsPort}") };

    private static void AssertSafetyHeaders(HttpResponseMessage response)
    {
        Assert.Equal("no-cache", Header(response, "Cache-Control"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.StartsWith("default-src 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "";

    // A <script> element without a src attribute.
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    // onclick=, onload=, ... in markup.
    [GeneratedRegex(@"<[^>]+\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();
}
