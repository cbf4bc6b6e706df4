using Serilog;
using Serilog.Events;

namespace SocketHub.Server.Logging;

public static class SerilogSetup
{
    private const string ConsoleTemplate =
        "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    private const string FileTemplate =
        "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext} {Message:lj} {Properties:j}{NewLine}{Exception}";

    /// <summary>
    /// Readable console output and a rolling file under the data folder. Levels and overrides can
    /// be changed in the "Serilog" configuration section. Wired through Microsoft.Extensions.Logging
    /// (Serilog.AspNetCore is not available to this project).
    /// </summary>
    public static ILoggingBuilder AddSocketHubSerilog(this ILoggingBuilder logging, IConfiguration configuration, string dataDirectory)
    {
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: ConsoleTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .WriteTo.File(
                Path.Combine(dataDirectory, "logs", "sockethub-.log"),
                outputTemplate: FileTemplate,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                rollingInterval: RollingInterval.Day,
                fileSizeLimitBytes: 50 * 1024 * 1024,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: 14)
            .CreateLogger();

        logging.ClearProviders();
        logging.AddSerilog(logger, dispose: true);
        return logging;
    }
}
