using Serilog;
using Serilog.Events;
using SocketHub.Server.Hosting;

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

    /// <summary>The file sink's lifecycle hooks: <see cref="OwnerOnlyLogFiles"/> unless others are configured.</summary>
    private const string FileHooksKey = "Serilog:WriteTo:File:Args:hooks";

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
        if (!string.IsNullOrEmpty(configured))
        {
            var path = Path.Combine(dataDirectory, configured);
            if (!Path.IsPathRooted(configured))
            {
                builder.Configuration.AddInMemoryCollection([new(FilePathKey, path)]);
            }

            PrepareLogFolder(path, dataDirectory);
            if (string.IsNullOrEmpty(builder.Configuration[FileHooksKey]))
            {
                builder.Configuration.AddInMemoryCollection([new(FileHooksKey, $"{typeof(OwnerOnlyLogFiles).FullName}::{nameof(OwnerOnlyLogFiles.Instance)}, {typeof(OwnerOnlyLogFiles).Assembly.GetName().Name}")]);
            }
        }

        builder.Services.AddSerilog(
            (services, logger) => logger
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services),
            preserveStaticLogger: true);
        return builder;
    }

    /// <summary>
    /// The logs' folder owner-only, made so before the file sink would make it with the default
    /// mode, and the files of earlier runs (<c>sockethub-*.log</c> for <c>sockethub-.log</c>) made
    /// owner-only too; the file being written is made so as it is opened (<see cref="OwnerOnlyLogFiles"/>).
    /// A folder outside the data folder that exists already (say <c>/var/log</c>) is not the
    /// server's to change: only its own files are. A folder that cannot be made is left to the
    /// sink, which reports it as it always did.
    /// </summary>
    private static void PrepareLogFolder(string path, string dataDirectory)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        try
        {
            var inData = (folder + Path.DirectorySeparatorChar).StartsWith(dataDirectory.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
            if (inData || !Directory.Exists(folder))
            {
                OwnerOnlyFiles.CreateFolder(folder);
            }

            var pattern = Path.GetFileNameWithoutExtension(path) + "*" + Path.GetExtension(path);
            foreach (var file in Directory.EnumerateFiles(folder, pattern))
            {
                OwnerOnlyFiles.RestrictFile(file);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The sink cannot write there either, and says so through Serilog's own channel.
        }
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
