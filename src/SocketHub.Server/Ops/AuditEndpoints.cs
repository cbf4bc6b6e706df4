using System.Net;
using System.Security.Cryptography;
using System.Text;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Ops;

public static class AuditEndpoints
{
    public static IServiceCollection AddSocketHubAudit(this IServiceCollection services)
    {
        services.AddSingleton<StoredCounts>();
        services.AddSingleton<ActivityFeed>();
        services.AddSingleton<AuditReportBuilder>();
        services.AddSingleton<AuditMetrics>();
        services.AddSingleton<TrafficHistory>();
        services.AddHostedService<TrafficSampler>();
        return services;
    }

    /// <summary>
    /// <c>GET /audit</c>: the instructor's figures as JSON. With <c>Ops:AuditToken</c> set, only a
    /// request carrying <c>Authorization: Bearer &lt;token&gt;</c> is answered (401 otherwise);
    /// without it, only requests from this machine (loopback) that name it (<c>Host: localhost</c>
    /// or a loopback address), since the figures name users and their addresses.
    /// </summary>
    public static IEndpointRouteBuilder MapSocketHubAudit(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/audit", (HttpContext context, AuditReportBuilder report, ServerSettings settings) =>
            Refusal(context, settings.Ops.AuditToken) ?? Results.Json(report.Build()));
        return endpoints;
    }

    /// <summary>Why this request may not see the audit, or null when it may.</summary>
    internal static IResult? Refusal(HttpContext context, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return IsLoopback(context.Connection.RemoteIpAddress) && NamesLoopback(context.Request.Host)
                ? null
                : Results.Json(
                    new { error = "The audit answers only on this machine. Set Ops:AuditToken to allow others with 'Authorization: Bearer <token>'." },
                    statusCode: StatusCodes.Status403Forbidden);
        }

        if (BearerToken(context) is { } presented && SameSecret(presented, token))
        {
            return null;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"SocketHub audit\"";
        return Results.Json(
            new { error = "Send the audit token: 'Authorization: Bearer <token>'." },
            statusCode: StatusCodes.Status401Unauthorized);
    }

    private static string? BearerToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }

    // Constant time, so response timing does not reveal how much of a guess was right.
    private static bool SameSecret(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>
    /// Without a token, a loopback request must also name this machine in its Host header:
    /// otherwise a web page whose domain was rebound to 127.0.0.1 (DNS rebinding) could make the
    /// instructor's own browser fetch the audit and send it away. No Host at all (HTTP/1.0, curl
    /// with an empty one) is a local tool, not a browser.
    /// </summary>
    private static bool NamesLoopback(HostString host) =>
        !host.HasValue
        || host.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
