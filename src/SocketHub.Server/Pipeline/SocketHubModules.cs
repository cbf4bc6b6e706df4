using SocketHub.Server.Board;
using SocketHub.Server.Chat;
using SocketHub.Server.Crypto;
using SocketHub.Server.History;
using SocketHub.Server.Hosting;
using SocketHub.Server.SecureChat;

namespace SocketHub.Server.Pipeline;

/// <summary>The dialects this server speaks: the one list a new dialect is added to.</summary>
public static class SocketHubModules
{
    /// <summary>Every module, in the order their listeners are opened and listed.</summary>
    public static IReadOnlyList<DialectModule> Create() =>
    [
        new BoardModule(),
        new HistoryModule(),
        new CryptoModule(),
        new ChatModule(),
        new SecureChatModule(),
    ];

    /// <summary>
    /// Every listener's port setting, <c>Ops:Port</c> first, as the modules declare them: the
    /// list tests use to put every listener on a free port (<c>--Board:Port=0</c> ...).
    /// </summary>
    public static IReadOnlyList<string> PortKeys()
    {
        var modules = Register(new ServiceCollection(), new ConfigurationBuilder().Build(), new SettingsCheck([]));
        return [OpsSettings.PortKey, .. modules.Listeners.Select(l => l.PortKey)];
    }

    /// <summary>Runs every module's registration; the result is what the host opens and reports.</summary>
    public static DialectModules Register(IServiceCollection services, IConfiguration configuration, SettingsCheck check)
    {
        var context = new DialectModuleContext(services, configuration, check);
        foreach (var module in Create())
        {
            module.Add(context);
        }

        var registered = new DialectModules(context.Listeners, context.AuditSections, context.Figures, context.AtStart);
        services.AddSingleton(registered);
        return registered;
    }
}

/// <summary>What the modules registered: the host's listeners, /audit's sections, the page's and the meter's figures, the services made at start.</summary>
public sealed record DialectModules(
    IReadOnlyList<DialectListener> Listeners,
    IReadOnlyList<DialectAuditSection> AuditSections,
    IReadOnlyList<DialectFigure> Figures,
    IReadOnlyList<Type> AtStart);
