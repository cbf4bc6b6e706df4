namespace SocketHub.Server.Hosting;

/// <summary>A listener could not bind because another program holds its port; names the setting.</summary>
public sealed class PortInUseException(IReadOnlyList<(string Key, int Port)> ports, IOException bindFailure)
    : Exception(Describe(ports, bindFailure), bindFailure)
{
    private static string Describe(IReadOnlyList<(string Key, int Port)> ports, IOException bindFailure)
    {
        // Kestrel's message names the endpoint ("...address http://0.0.0.0:8080: address already in use").
        var keys = ports
            .Where(p => p.Port != 0 && bindFailure.Message.Contains($":{p.Port}:", StringComparison.Ordinal))
            .Select(p => $"{p.Key} ({p.Port})")
            .ToList();
        var which = keys.Count > 0 ? string.Join(", ", keys) : "a listener's port";
        return $"Could not listen on {which}: another program already uses it. " +
            "Stop that program or choose another port, e.g. --Board:Port=18080 (0 picks a free one).";
    }
}
