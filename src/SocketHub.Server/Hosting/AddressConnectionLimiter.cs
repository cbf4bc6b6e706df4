using System.Collections.Concurrent;
using System.Net;

namespace SocketHub.Server.Hosting;

/// <summary>
/// Counts open connections per remote address across all dialects. Kestrel's own
/// MaxConcurrentConnections closes extra sockets silently; this lets us send a reason first.
/// </summary>
public sealed class AddressConnectionLimiter(int limitPerAddress)
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    public bool TryAcquire(IPAddress address)
    {
        while (true)
        {
            var current = _open.GetOrAdd(address, 0);
            if (current >= limitPerAddress)
            {
                return false;
            }

            if (_open.TryUpdate(address, current + 1, current))
            {
                return true;
            }
        }
    }

    public void Release(IPAddress address)
    {
        while (_open.TryGetValue(address, out var current))
        {
            if (current <= 1
                ? _open.TryRemove(KeyValuePair.Create(address, current))
                : _open.TryUpdate(address, current - 1, current))
            {
                return;
            }
        }
    }

    public int OpenFrom(IPAddress address) => _open.TryGetValue(address, out var count) ? count : 0;
}
