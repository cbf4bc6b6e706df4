using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace SocketHub.Server.Ops;

/// <summary>
/// The instructor's page on the ops port: <c>GET /</c> and its script and style sheet, embedded in
/// the assembly (no static-file folder, no build step). The page holds no figures itself; its
/// script reads <c>/audit</c>, which keeps its own access rules, so the page is served to anyone.
/// </summary>
public static class InstructorPage
{
    // Script and styles only from this origin, and nothing inline: names and activity text come
    // from students, so even a rendering mistake must not be able to run their markup.
    internal const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Asset[] Assets =
    [
        Asset.Load("/", "index.html", "text/html; charset=utf-8"),
        Asset.Load("/page.js", "page.js", "text/javascript; charset=utf-8"),
        Asset.Load("/page.css", "page.css", "text/css; charset=utf-8"),
    ];

    public static IEndpointRouteBuilder MapInstructorPage(this IEndpointRouteBuilder endpoints)
    {
        foreach (var asset in Assets)
        {
            endpoints.MapMethods(asset.Path, [HttpMethods.Get, HttpMethods.Head], (HttpContext context) => Serve(context, asset));
        }

        return endpoints;
    }

    private static IResult Serve(HttpContext context, Asset asset)
    {
        var headers = context.Response.Headers;
        // no-cache: the browser revalidates every time (cheap with the ETag), so a new server
        // version is picked up at the next load.
        headers.CacheControl = "no-cache";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ETag = asset.ETag;

        var etag = new EntityTagHeaderValue(asset.ETag);
        return context.Request.GetTypedHeaders().IfNoneMatch.Any(e => e.Compare(etag, useStrongComparison: false))
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(asset.Content, asset.ContentType);
    }

    private sealed record Asset(string Path, byte[] Content, string ContentType, string ETag)
    {
        private const string ResourcePrefix = "SocketHub.Server.Ops.Page.";

        public static Asset Load(string path, string file, string contentType)
        {
            using var stream = typeof(InstructorPage).Assembly.GetManifestResourceStream(ResourcePrefix + file)
                ?? throw new InvalidOperationException($"The instructor page's {file} is not embedded in the assembly.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 8))}\"";
            return new Asset(path, content, contentType, etag);
        }
    }
}
