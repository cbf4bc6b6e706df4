using Serilog;
using Serilog.Events;

namespace SocketHub.Server.Logging;

/// <summary>
/// Serilog.AspNetCore as its documentation shows: a bootstrap logger for the process entry point,
/// the host's logger read from the "Serilog" configuration section (levels, console, rolling file),
/// and one line per ops-port request.
/// </summary>
public static class SerilogSetup
{
    /// <summary>The rolling file sink's name in "Serilog:WriteTo" (appsettings.json).</summary>
    private const string FilePathKey = "Serilog:WriteTo:File:Args:path";

    private const string BootstrapTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Console only, until the host has read its settings: a failure before that (bad settings, a
    /// data folder that cannot be made) is still logged. Errors go to stderr, as before.
    /// </summary>
    public static Serilog.ILogger CreateBootstrapLogger() =>
        new LoggerConfiguration()
            .MinimumLevel.Information()
            .WriteTo.Console(
                outputTemplate: BootstrapTemplate,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                standardErrorFromLevel: LogEventLevel.Error)
            .CreateBootstrapLogger();

    /// <summary>
    /// The host's own logger, from the "Serilog" section. A relative path for the "File" sink is
    /// under the data folder, so the logs follow <c>Storage:DataDirectory</c> (the container's /data).
    /// The host keeps its logger to itself (preserveStaticLogger): several servers run side by side
    /// in the test process, and none may write to another's file or close it.
    /// </summary>
    public static WebApplicationBuilder AddSocketHubSerilog(this WebApplicationBuilder builder, string dataDirectory)
    {
        var configured = builder.Configuration[FilePathKey];
        if (!string.IsNullOrEmpty(configured) && !Path.IsPathRooted(configured))
        {
            builder.Configuration.AddInMemoryCollection([new(FilePathKey, Path.Combine(dataDirectory, configured))]);
        }

        builder.Services.AddSerilog(
            (services, logger) => logger
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services),
            preserveStaticLogger: true);
        return builder;
    }

    /// <summary>
    /// One line per HTTP request on the ops port: method, path (never the query string or headers,
    /// so never a token), caller, status and time. Health probes, every few seconds from Docker,
    /// are logged at Debug only.
    /// </summary>
    public static WebApplication UseSocketHubRequestLogging(this WebApplication app)
    {
        // The host's own logger: the middleware's default is the static one, which is only the bootstrap logger here.
        var logger = app.Services.GetRequiredService<Serilog.ILogger>();
        app.UseSerilogRequestLogging(options =>
        {
            options.Logger = logger;
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} from {RemoteAddress} responded {StatusCode} in {Elapsed:0.0} ms";
            options.EnrichDiagnosticContext = (diagnostics, context) =>
                diagnostics.Set("RemoteAddress", context.Connection.RemoteIpAddress?.ToString());
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
                : context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal) ? LogEventLevel.Debug
                : LogEventLevel.Information;
        });
        return app;
    }
}
