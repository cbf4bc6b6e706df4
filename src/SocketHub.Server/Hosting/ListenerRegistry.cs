using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SocketHub.Server.Hosting;

/// <summary>
/// Remembers each listener Kestrel was asked to open. Kestrel writes the bound port back into
/// its <see cref="ListenOptions"/>, so after start this tells the real endpoints (port 0 means
/// "any free port"), and the readiness check asks it whether every listener is bound.
/// </summary>
public sealed class ListenerRegistry
{
    private readonly List<(string Name, ListenOptions Options)> _listeners = [];

    public void Add(string name, ListenOptions options)
    {
        lock (_listeners)
        {
            _listeners.Add((name, options));
        }
    }

    /// <summary>Each listener's name and bound endpoint; port 0 until Kestrel has bound it.</summary>
    public IReadOnlyList<(string Name, IPEndPoint EndPoint)> Endpoints
    {
        get
        {
            lock (_listeners)
            {
                return _listeners.Select(l => (l.Name, l.Options.IPEndPoint!)).ToList();
            }
        }
    }

    public bool IsStarted { get; private set; }

    /// <summary>Called once the server has started; every listener is bound by then.</summary>
    public void MarkStarted() => IsStarted = true;

    public int PortOf(string name) => Endpoints.First(e => e.Name == name).EndPoint.Port;
}
