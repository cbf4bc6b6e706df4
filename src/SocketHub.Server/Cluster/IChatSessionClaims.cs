namespace SocketHub.Server.Cluster;

/// <summary>
/// One chat session per account: a login takes the account's claim before it enters the room,
/// and gives it back when it leaves. On one node the claims live in memory
/// (<see cref="LocalChatSessionClaims"/>); with the Redis backplane they are shared by every node
/// (<see cref="RedisChatSessionClaims"/>), so the account can be in only one room in the cluster.
/// </summary>
public interface IChatSessionClaims
{
    /// <summary>
    /// Takes <paramref name="user"/>'s claim for <paramref name="holder"/> (the session, compared
    /// by reference); false when another session holds it, on this node or another.
    /// </summary>
    ValueTask<bool> TryClaimAsync(string user, object holder);

    /// <summary>Gives the claim back, if <paramref name="holder"/> still holds it; never waits.</summary>
    void Release(string user, object holder);
}
