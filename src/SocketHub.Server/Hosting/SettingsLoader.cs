using System.Net;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.Hosting;

/// <summary>A setting is missing or out of range; the message names the key.</summary>
public sealed class InvalidSettingsException(string message) : Exception(message);

/// <summary>
/// Binds every section and checks it before anything listens, so a typo stops the server at
/// start with the key's name instead of surfacing later as a strange error. The shared sections
/// are read here; each dialect module binds and checks its own (<see cref="SocketHubModules"/>).
/// </summary>
public static class SettingsLoader
{
    /// <summary>
    /// The shared settings, and every module registered into <paramref name="services"/> with
    /// its settings; all problems are reported together.
    /// </summary>
    public static (ServerSettings Settings, DialectModules Modules) Load(IConfiguration configuration, IServiceCollection services)
    {
        var settings = new ServerSettings(
            Bind<ListenSettings>(configuration, "Listen"),
            Bind<StorageSettings>(configuration, "Storage"),
            Bind<LimitsSettings>(configuration, "Limits"),
            Bind<OpsSettings>(configuration, "Ops"),
            Bind<Tls.TlsSettings>(configuration, "Tls"));

        var problems = new List<string>();
        var check = new SettingsCheck(problems);

        if (!IPAddress.TryParse(settings.Listen.Address, out _))
        {
            problems.Add($"Listen:Address must be an IP address such as 0.0.0.0 or 127.0.0.1 (got '{settings.Listen.Address}').");
        }

        settings.Storage.Validate(configuration, check);
        check.AtLeast("Limits:ConnectionsPerAddress", settings.Limits.ConnectionsPerAddress, 1);
        check.AtLeast("Limits:MaxConnections", settings.Limits.MaxConnections, 0);
        check.AtLeast("Listen:PortOffset", settings.Listen.PortOffset, 0);
        settings.Tls.Validate(check);
        services.AddSingleton(Proxy.ProxyProtocolSettings.Load(configuration, check));
        Cluster.ClusterServices.Add(services, configuration, check, settings.Storage.Provider);
        var modules = SocketHubModules.Register(services, configuration, check);
        check.Ports(Ports(settings, modules));

        if (problems.Count > 0)
        {
            throw new InvalidSettingsException("Invalid settings:" + Environment.NewLine + "  " +
                string.Join(Environment.NewLine + "  ", problems));
        }

        return (settings, modules);
    }

    /// <summary>Every listener's port setting and the port it binds (the offset applied), the ops port first, then each TLS port in use.</summary>
    public static IReadOnlyList<(string Key, int Port)> Ports(ServerSettings settings, DialectModules modules)
    {
        var listen = settings.Listen;
        var ports = new List<(string Key, int Port)> { (OpsSettings.PortKey, listen.Effective(settings.Ops.Port)) };
        ports.AddRange(modules.Listeners.Select(l => (l.PortKey, listen.Effective(l.Port))));
        if (listen.EffectiveTls(settings.Ops.Port, settings.Ops.TlsPort, OpsSettings.DefaultTlsPort) is { } opsTls)
        {
            ports.Add((OpsSettings.TlsPortKey, opsTls));
        }

        foreach (var listener in modules.Listeners)
        {
            if (listen.EffectiveTls(listener.Port, listener.TlsPort) is { } tls)
            {
                ports.Add((listener.TlsPortKey, tls));
            }
        }

        return ports;
    }

    public static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        try
        {
            return configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            // The binder's message already names the key ("...value at 'Board:Port' to type...").
            throw new InvalidSettingsException("Invalid settings: " + (e.InnerException is null ? e.Message : $"{e.Message} {e.InnerException.Message}"));
        }
    }
}

/// <summary>Collects readable problems for the checks the sections make of themselves.</summary>
public sealed class SettingsCheck(List<string> problems)
{
    public void Problem(string message) => problems.Add(message);

    public void AtLeast(string key, double value, double minimum)
    {
        if (!(value >= minimum))
        {
            problems.Add($"{key} must be at least {minimum} (got {value}).");
        }
    }

    /// <summary>Records <paramref name="problem"/> unless <paramref name="condition"/> holds.</summary>
    public void That(bool condition, string problem)
    {
        if (!condition)
        {
            problems.Add(problem);
        }
    }

    /// <summary>Every port must be valid, and no two listeners may ask for the same one.</summary>
    public void Ports(IReadOnlyList<(string Key, int Port)> ports)
    {
        foreach (var (key, port) in ports)
        {
            if (port is < 0 or > 65535)
            {
                problems.Add($"{key} must be a port number from 0 to 65535, or 0 for any free port (got {port}).");
            }
        }

        foreach (var clash in ports.Where(p => p.Port != 0).GroupBy(p => p.Port).Where(g => g.Count() > 1))
        {
            problems.Add($"{string.Join(" and ", clash.Select(p => p.Key))} are all set to port {clash.Key}; each listener needs its own.");
        }
    }
}
