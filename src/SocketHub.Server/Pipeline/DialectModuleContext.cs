using Microsoft.AspNetCore.Connections;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Pipeline;

/// <summary>A settings section that checks itself; problems name their keys.</summary>
public interface IValidatedSettings
{
    void Validate(SettingsCheck check);
}

/// <summary>
/// What a module's <see cref="DialectModule.Add"/> registers into: settings sections (bound once,
/// checked, and registered as singletons), services, listeners, /audit sections and figures.
/// </summary>
public sealed class DialectModuleContext(IServiceCollection services, IConfiguration configuration, SettingsCheck check)
{
    private readonly Dictionary<string, object> _sections = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<DialectListener> _listeners = [];
    private readonly List<DialectAuditSection> _audit = [];
    private readonly List<DialectFigure> _figures = [];
    private readonly List<Type> _atStart = [];

    public IServiceCollection Services => services;

    public IReadOnlyList<DialectListener> Listeners => _listeners;

    public IReadOnlyList<DialectAuditSection> AuditSections => _audit;

    public IReadOnlyList<DialectFigure> Figures => _figures;

    public IReadOnlyList<Type> AtStart => _atStart;

    /// <summary>
    /// The settings section <paramref name="name"/>, bound and checked the first time a module
    /// asks for it (two modules may share one: the secure chat reads <c>Chat</c>).
    /// </summary>
    public T Settings<T>(string name)
        where T : class, IValidatedSettings, new()
    {
        if (_sections.TryGetValue(name, out var known))
        {
            return (T)known;
        }

        var settings = SettingsLoader.Bind<T>(configuration, name);
        settings.Validate(check);
        services.AddSingleton(settings);
        _sections[name] = settings;
        return settings;
    }

    /// <summary>
    /// A listener served by a request/reply protocol type, run by the shared loop, and its TLS
    /// twin on <paramref name="tlsPort"/> (see <see cref="ListenSettings.EffectiveTls"/>).
    /// </summary>
    public void Listen<TProtocol, TRequest, TReply>(Dialect dialect, string portKey, int port, int? tlsPort)
        where TProtocol : DialectProtocol<TRequest, TReply>
        where TReply : IDialectReply
    {
        services.AddSingleton<TProtocol>();
        _listeners.Add(new DialectListener(dialect, portKey, port, tlsPort, provider =>
            new DialectConnectionHandler<TRequest, TReply>(provider.GetRequiredService<TProtocol>(), provider.GetRequiredService<TimeProvider>())));
    }

    /// <summary>A listener served by a connection handler of its own (the chat's sessions), and its TLS twin.</summary>
    public void Listen<THandler>(Dialect dialect, string portKey, int port, int? tlsPort)
        where THandler : ConnectionHandler
    {
        services.AddSingleton<THandler>();
        _listeners.Add(new DialectListener(dialect, portKey, port, tlsPort, provider => provider.GetRequiredService<THandler>()));
    }

    /// <summary>
    /// A singleton made before anything listens (a key file read or created): when it cannot be
    /// made, the server does not start, rather than failing a client later.
    /// </summary>
    public void MakeAtStart<TService>()
        where TService : class
    {
        services.AddSingleton<TService>();
        _atStart.Add(typeof(TService));
    }

    /// <summary>The module's section of /audit.</summary>
    public void Audit(string name, Func<IServiceProvider, object> build) => _audit.Add(new DialectAuditSection(name, build));

    /// <summary>A figure for the instructor's page, /audit and the meter.</summary>
    public void Figure(DialectFigure figure) => _figures.Add(figure);
}
