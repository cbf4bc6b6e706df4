using System.CommandLine;

namespace SocketHub.Client;

/// <summary>The options every command has, and the dialects' default ports.</summary>
public static class CommonOptions
{
    public const int BoardPort = 8080;
    public const int HistoryPort = 5007;
    public const int CryptoPort = 8000;
    public const int ChatJsonPort = 12001;

    public static Option<string> Host() => new("--host")
    {
        Description = "Server host name or address",
        DefaultValueFactory = _ => "localhost",
    };

    public static Option<int> Port(int defaultPort) => new("--port", "-p")
    {
        Description = "Server port",
        DefaultValueFactory = _ => defaultPort,
    };

    /// <summary>Reads "-" as "all of standard input" (one trailing line end removed).</summary>
    public static async Task<string> TextOrStdinAsync(string text, ClientIo io, CancellationToken ct)
    {
        if (text != "-")
        {
            return text;
        }

        var all = await io.In.ReadToEndAsync(ct);
        return all.EndsWith("\r\n", StringComparison.Ordinal) ? all[..^2]
            : all.EndsWith('\n') ? all[..^1]
            : all;
    }
}
