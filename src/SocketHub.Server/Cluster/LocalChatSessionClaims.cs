using System.Collections.Concurrent;

namespace SocketHub.Server.Cluster;

/// <summary>The claims of a single node (no backplane): an account's claim is an entry in memory.</summary>
public sealed class LocalChatSessionClaims : IChatSessionClaims
{
    private readonly ConcurrentDictionary<string, object> _held = new(StringComparer.Ordinal);

    public ValueTask<bool> TryClaimAsync(string user, object holder) => ValueTask.FromResult(_held.TryAdd(user, holder));

    public void Release(string user, object holder) => _held.TryRemove(KeyValuePair.Create(user, holder));
}
