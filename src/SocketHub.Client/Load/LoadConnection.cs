using SocketHub.Client.Net;
using SocketHub.Protocol.Framing;

namespace SocketHub.Client.Load;

/// <summary>
/// A load worker's connection to a dialect that answers many requests on one connection (board,
/// crypto): opened when first needed, dropped after a failure and opened again by the next request.
/// </summary>
public sealed class LoadConnection(LoadSettings settings, FrameOptions replies) : IAsyncDisposable
{
    private FramedConnection? _current;

    /// <summary>The open connection, or a new one.</summary>
    public async Task<FramedConnection> GetAsync(CancellationToken ct) =>
        _current ??= await FramedConnection.ConnectAsync(settings.Server, replies, ct);

    /// <summary>After a failure: closes the connection (the next request opens another), then pauses.</summary>
    public async Task DropAndPauseAsync(CancellationToken ct)
    {
        await DisposeAsync();
        await LoadLoop.PauseAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_current is not null)
        {
            await _current.DisposeAsync();
            _current = null;
        }
    }
}
