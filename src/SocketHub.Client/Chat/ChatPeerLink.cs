using SocketHub.Client.Net;

namespace SocketHub.Client.Chat;

/// <summary>A direct connection to one peer; sends are serialised.</summary>
internal sealed class ChatPeerLink(FramedConnection connection) : IAsyncDisposable
{
    // As the server does between objects: parts sent back to back could be read together.
    private static readonly TimeSpan ObjectGap = TimeSpan.FromMilliseconds(20);

    private readonly SemaphoreSlim _send = new(1, 1);
    private int _disposed;

    public FramedConnection Connection { get; } = connection;

    /// <summary>Sends each object in a write of its own (the peer reads one per recv).</summary>
    public async Task<bool> TrySendAsync(IReadOnlyList<string> objects, CancellationToken ct)
    {
        await _send.WaitAsync(ct);
        try
        {
            for (var i = 0; i < objects.Count; i++)
            {
                if (i > 0)
                {
                    await Task.Delay(ObjectGap, ct);
                }

                await Connection.SendAsync(objects[i], ct);
            }

            return true;
        }
        catch (Exception e) when (e is ClientException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            _send.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await Connection.DisposeAsync();
        }
    }
}
