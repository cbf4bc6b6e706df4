using System.Collections.Concurrent;
using System.Net;

namespace SocketHub.Server.Hosting;

/// <summary>
/// Counts open connections per remote address across all dialects. Kestrel's own
/// MaxConcurrentConnections closes extra sockets silently; this lets us send a reason first.
/// </summary>
public sealed class AddressConnectionLimiter(int limitPerAddress) : IAddressConnectionCounter
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    /// <summary>The most connections one address may have open.</summary>
    public int Limit => limitPerAddress;

    /// <summary>The addresses with connections open now, and how many each.</summary>
    public IEnumerable<KeyValuePair<IPAddress, int>> Open => _open;

    /// <summary>Answers at once: the single node's gate never waits.</summary>
    public ValueTask<bool> TryAcquireAsync(IPAddress address) => ValueTask.FromResult(TryAcquire(address));

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
