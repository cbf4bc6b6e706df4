using System.Globalization;
using System.Text.RegularExpressions;

namespace SocketHub.Server.Tests.Infrastructure;

/// <summary>
/// Reads what the repository's Dockerfile and docker-compose.yml give the server, with plain line
/// parsing of the shapes those two files use (no YAML library), so tests run the server the way
/// the container does. Each reader fails loudly when the file no longer has the expected shape.
/// </summary>
public static partial class ContainerFiles
{
    /// <summary>The folder holding SocketHub.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ComposePath => Path.Combine(RepositoryRoot, "docker-compose.yml");

    public static string DockerfilePath => Path.Combine(RepositoryRoot, "Dockerfile");

    /// <summary>
    /// The sockethub service's <c>environment:</c> map, with <c>${NAME:-default}</c> and
    /// <c>${NAME}</c> filled from <paramref name="dotEnv"/> (what an instructor's .env holds) or
    /// else the default, as docker compose does.
    /// </summary>
    public static Dictionary<string, string> ComposeEnvironment(IReadOnlyDictionary<string, string> dotEnv)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in ServiceBlock("environment"))
        {
            var match = MapEntry().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"docker-compose.yml: cannot read environment line '{line}'");
            }

            environment[match.Groups["key"].Value] = Interpolate(Unquote(match.Groups["value"].Value), dotEnv);
        }

        return environment.Count > 0
            ? environment
            : throw new FormatException("docker-compose.yml: the sockethub service has no environment entries");
    }

    /// <summary>The container-side port of every <c>ports:</c> entry ("host:container").</summary>
    public static List<int> ComposeContainerPorts() =>
        [.. ServiceBlock("ports").Select(line =>
        {
            var entry = Unquote(line.TrimStart().TrimStart('-').Trim());
            return int.Parse(entry[(entry.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        })];

    /// <summary>The sockethub service's <c>stop_grace_period</c> (the "15s" / "1m30s" form).</summary>
    public static TimeSpan ComposeStopGracePeriod()
    {
        var value = ServiceScalar("stop_grace_period");
        var total = TimeSpan.Zero;
        var parts = DurationPart().Matches(value);
        if (parts.Count == 0 || string.Concat(parts.Select(p => p.Value)) != value)
        {
            throw new FormatException($"docker-compose.yml: cannot read stop_grace_period '{value}'");
        }

        foreach (Match part in parts)
        {
            var amount = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "s" => TimeSpan.FromSeconds(amount),
                _ => TimeSpan.FromMilliseconds(amount),
            };
        }

        return total;
    }

    /// <summary>The compose healthcheck's <c>test:</c> array, e.g. ["CMD", "dotnet", ...].</summary>
    public static List<string> ComposeHealthcheckTest() =>
        JsonArray(ServiceBlock("healthcheck").Select(l => l.Trim()).Single(l => l.StartsWith("test:", StringComparison.Ordinal))["test:".Length..]);

    /// <summary>The ENV variables the final stage of the Dockerfile sets, in order.</summary>
    public static Dictionary<string, string> DockerfileEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var instruction in FinalStage().Where(i => i.StartsWith("ENV ", StringComparison.Ordinal)))
        {
            foreach (var pair in instruction["ENV ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var match = EnvPair().Match(pair);
                if (!match.Success)
                {
                    throw new FormatException($"Dockerfile: cannot read ENV '{pair}' (use NAME=value without quotes or spaces)");
                }

                environment[match.Groups[1].Value] = match.Groups[2].Value;
            }
        }

        return environment;
    }

    /// <summary>Every port of the final stage's EXPOSE lines.</summary>
    public static List<int> DockerfileExposedPorts() =>
        [.. FinalStage()
            .Where(i => i.StartsWith("EXPOSE ", StringComparison.Ordinal))
            .SelectMany(i => i["EXPOSE ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => int.Parse(p.Replace("/tcp", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture))];

    /// <summary>The exec-form array after HEALTHCHECK's CMD.</summary>
    public static List<string> DockerfileHealthcheckCommand()
    {
        var healthcheck = FinalStage().Single(i => i.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        var cmd = healthcheck.IndexOf(" CMD ", StringComparison.Ordinal);
        return cmd < 0
            ? throw new FormatException($"Dockerfile: HEALTHCHECK has no CMD: {healthcheck}")
            : JsonArray(healthcheck[(cmd + " CMD ".Length)..]);
    }

    private static List<string> JsonArray(string text) =>
        System.Text.Json.JsonSerializer.Deserialize<List<string>>(text.Trim())
            ?? throw new FormatException($"not a JSON array of strings: {text}");

    /// <summary>The instructions after the last FROM, continuation lines joined, comments dropped.</summary>
    private static List<string> FinalStage()
    {
        List<string> instructions = [];
        var current = string.Empty;
        foreach (var raw in File.ReadAllLines(DockerfilePath))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && current.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1].Trim() + " ";
                continue;
            }

            instructions.Add((current + line).Trim());
            current = string.Empty;
        }

        var lastFrom = instructions.FindLastIndex(i => i.StartsWith("FROM ", StringComparison.Ordinal));
        return lastFrom < 0 ? throw new FormatException("Dockerfile: no FROM") : instructions[(lastFrom + 1)..];
    }

    /// <summary>The lines nested under "    key:" in the sockethub service, comments dropped.</summary>
    private static List<string> ServiceBlock(string key)
    {
        var lines = ServiceLines();
        var start = lines.FindIndex(l => l.Trim() == key + ":");
        if (start < 0)
        {
            throw new FormatException($"docker-compose.yml: the sockethub service has no '{key}:' block");
        }

        var indent = Indent(lines[start]);
        return [.. lines.Skip(start + 1).TakeWhile(l => Indent(l) > indent)];
    }

    private static string ServiceScalar(string key)
    {
        var prefix = key + ":";
        var line = ServiceLines().SingleOrDefault(l => l.Trim().StartsWith(prefix, StringComparison.Ordinal))
            ?? throw new FormatException($"docker-compose.yml: the sockethub service has no '{key}'");
        return Unquote(line.Trim()[prefix.Length..].Trim());
    }

    /// <summary>The non-blank, non-comment lines of services.sockethub.</summary>
    private static List<string> ServiceLines()
    {
        var lines = File.ReadAllLines(ComposePath)
            .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'))
            .ToList();
        var start = lines.FindIndex(l => l.Trim() == "sockethub:" && Indent(l) > 0);
        if (start < 0)
        {
            throw new FormatException("docker-compose.yml: no sockethub service");
        }

        var indent = Indent(lines[start]);
        return [.. lines.Skip(start + 1).TakeWhile(l => Indent(l) > indent)];
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0] ? value[1..^1] : value;

    private static string Interpolate(string value, IReadOnlyDictionary<string, string> dotEnv) =>
        Variable().Replace(value, m =>
            dotEnv.TryGetValue(m.Groups["name"].Value, out var set) && set.Length > 0
                ? set
                : m.Groups["default"].Value);

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "SocketHub.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No SocketHub.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^\s+(?<key>[A-Za-z_][A-Za-z0-9_]*):\s*(?<value>.*)$")]
    private static partial Regex MapEntry();

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?<default>[^}]*))?\}")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)=(\S*)$")]
    private static partial Regex EnvPair();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|h|m|s)")]
    private static partial Regex DurationPart();
}
