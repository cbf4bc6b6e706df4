namespace SocketHub.Server.Pipeline;

/// <summary>
/// A dialect as one module: its settings section (bound and checked), its services, its
/// listeners, and its figures for /audit, the meter and the instructor's page, all declared in
/// <see cref="Add"/>. The host, the settings check, the test port lists and the scripts iterate
/// the modules in <see cref="SocketHubModules"/>; a new dialect is a folder, a module and one
/// line there.
/// </summary>
public abstract class DialectModule
{
    /// <summary>The module's name in logs and errors ("board").</summary>
    public abstract string Name { get; }

    /// <summary>Binds the module's settings, registers its services, listeners and figures.</summary>
    public abstract void Add(DialectModuleContext context);

    public override string ToString() => Name;
}
