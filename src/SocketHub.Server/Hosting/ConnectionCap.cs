namespace SocketHub.Server.Hosting;

/// <summary>
/// Open connections over every port, the ops port included, held below the open-file limit
/// (<c>Limits:MaxConnections</c>): past it a client gets its dialect's reason line (the ops port a
/// 503) and the close, instead of the process running out of file descriptors.
/// </summary>
public sealed class ConnectionCap(int limit)
{
    public const string ServerFull = "The server is full; try again later";

    private int _open;

    public int Limit { get; } = limit;

    public int Open => Volatile.Read(ref _open);

    public bool TryAcquire()
    {
        if (Interlocked.Increment(ref _open) <= Limit)
        {
            return true;
        }

        Interlocked.Decrement(ref _open);
        return false;
    }

    public void Release() => Interlocked.Decrement(ref _open);
}
