using System.Net;

namespace SocketHub.Server.Hosting;

/// <summary>
/// The per-address connection limit (<c>Limits:ConnectionsPerAddress</c>) as the connection gates
/// ask it. On one node it is <see cref="AddressConnectionLimiter"/>, answering at once; with the
/// Redis backplane it is counted across every node
/// (<see cref="Cluster.RedisAddressConnectionCounter"/>), so a client behind a load balancer does
/// not get the limit once per node.
/// </summary>
public interface IAddressConnectionCounter
{
    /// <summary>Counts one more connection from <paramref name="address"/>; false (and nothing counted) when that would pass the limit.</summary>
    ValueTask<bool> TryAcquireAsync(IPAddress address);

    /// <summary>Gives back a connection <see cref="TryAcquireAsync"/> counted; never waits.</summary>
    void Release(IPAddress address);
}
