using System.Net;

namespace SocketHub.Server.Ops;

/// <summary>
/// <c>SocketHub.Server healthcheck</c>: asks the running server's <c>/health/ready</c> and exits 0
/// when it is ready, 1 otherwise. The container's HEALTHCHECK runs it, because the ASP.NET Core
/// runtime image has no curl or wget. It reads the same configuration as the server (the
/// appsettings.json beside it, environment variables, arguments) so it finds the ops port
/// wherever the compose file moved it.
/// </summary>
public static class HealthProbe
{
    public const string Command = "healthcheck";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            var configuration = new ConfigurationBuilder()
                .SetBasePath(AppContext.BaseDirectory)
                .AddJsonFile("appsettings.json", optional: true)
                .AddEnvironmentVariables()
                .AddCommandLine(args)
                .Build();

            var port = configuration.GetValue("Ops:Port", 8088);
            if (port is < 1 or > 65535)
            {
                Console.WriteLine($"healthcheck: Ops:Port must name the ops port the server listens on (got {port}).");
                return 1;
            }

            var address = configuration.GetValue("Listen:Address", "0.0.0.0")!;
            var host = address is "0.0.0.0" or "::" ? "127.0.0.1" : address;
            var url = new UriBuilder("http", host, port, "/health/ready").Uri;

            using var http = new HttpClient { Timeout = Timeout };
            using var response = await http.GetAsync(url);
            Console.WriteLine($"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return response.StatusCode == HttpStatusCode.OK ? 0 : 1;
        }
#pragma warning disable CA1031 // Docker defines 0 (healthy) and 1 (unhealthy) and reserves 2: every failure, whatever it is, is a plain 1.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Console.WriteLine($"healthcheck: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }
}
