using System.CommandLine;
using SocketHub.Client.Net;

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

    /// <summary>How far a dialect's TLS port is from its plain one on the server (8080 → 18080).</summary>
    public const int TlsPortDistance = 10000;

    /// <summary>The options every command inherits from the root: connect with TLS, and how to trust the server.</summary>
    public static IEnumerable<Option> TlsOptions() =>
    [
        new Option<bool>("--tls") { Description = "Connect with TLS, to the dialect's TLS port unless --port is given (8080 → 18080)", Recursive = true },
        new Option<string?>("--fingerprint") { Description = "With --tls: trust the server whose certificate has this SHA-256 (from the teacher's page), whatever signed it", Recursive = true },
        new Option<bool>("--insecure") { Description = "With --tls: trust any certificate (a first trial only: anyone in between could read everything)", Recursive = true },
    ];

    /// <summary>
    /// The server a command talks to: its --host and --port, and with --tls the TLS port by
    /// default and the trust the user chose. A fingerprint that is no SHA-256 is a usage error.
    /// </summary>
    public static ServerAddress Server(ParseResult r, Option<string> host, Option<int> port)
    {
        var tls = Tls(r);
        var number = r.GetValue(port);
        if (tls is not null && r.GetResult(port) is null or { Implicit: true })
        {
            number += TlsPortDistance;
        }

        return new ServerAddress(r.GetRequiredValue(host), number, tls);
    }

    /// <summary>The TLS the user asked for, or null for a plain connection.</summary>
    public static ClientTls? Tls(ParseResult r)
    {
        var typed = r.GetValue<string?>("--fingerprint");
        var insecure = r.GetValue<bool>("--insecure");
        if (!r.GetValue<bool>("--tls"))
        {
            return typed is not null || insecure
                ? throw new ClientException(ExitCodes.Usage, "--fingerprint and --insecure go with --tls")
                : null;
        }

        var fingerprint = ClientTls.NormalizeFingerprint(typed);
        if (typed is not null && fingerprint is null)
        {
            throw new ClientException(ExitCodes.Usage, "--fingerprint takes a SHA-256: 64 hex digits, with or without colons (AB:CD:...)");
        }

        return new ClientTls(fingerprint, insecure);
    }

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
