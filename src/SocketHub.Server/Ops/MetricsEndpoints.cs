using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Ops;

/// <summary>
/// OpenTelemetry metrics: the <c>SocketHub</c> meter (the same counters /audit reads), Kestrel and
/// ASP.NET Core, and the .NET runtime. Scraped in Prometheus text format at <c>GET /metrics</c>
/// on the ops port; also pushed over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class MetricsEndpoints
{
    public const string Path = "/metrics";

    /// <summary>The standard OpenTelemetry variable; the OTLP exporter reads the rest (protocol, headers) itself.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddSocketHubMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("sockethub", serviceVersion: typeof(MetricsEndpoints).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(ServerStats.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                ((IDeferredMeterProviderBuilder)metrics).Configure(
                    (provider, builder) => builder.AddView(OnlyThisServer(provider.GetRequiredService<IMeterFactory>())));
            });

        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
        {
            telemetry.WithMetrics(metrics => metrics.AddOtlpExporter());
        }

        return services;
    }

    /// <summary>
    /// <c>GET /metrics</c>, under the same rule as /audit (the token, or this machine only): the
    /// figures name no one, but they do show who is busy and when.
    /// </summary>
    public static IEndpointRouteBuilder MapSocketHubMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint(
            Path,
            meterProvider: null,
            configureBranchedPipeline: branch => branch.Use(async (context, next) =>
            {
                var token = context.RequestServices.GetRequiredService<ServerSettings>().Ops.AuditToken;
                if (AuditEndpoints.Refusal(context, token) is { } refusal)
                {
                    await refusal.ExecuteAsync(context);
                    return;
                }

                await next(context);
            }),
            optionsName: null);
        return endpoints;
    }

    /// <summary>
    /// A meter made by another host's meter factory belongs to another server in this process
    /// (the tests run several side by side, each with its own "SocketHub" and Kestrel meters):
    /// its instruments are dropped, so /metrics shows this server's figures only. Meters no factory
    /// made (the runtime's) are process-wide and kept.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OnlyThisServer(IMeterFactory ours) =>
        instrument => instrument.Meter.Scope is IMeterFactory scope && !ReferenceEquals(scope, ours)
            ? MetricStreamConfiguration.Drop
            : null;
}
