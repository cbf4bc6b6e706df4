using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SocketHub.Client.Net;
using SocketHub.Protocol.Chat;
using SocketHub.Protocol.Framing;

namespace SocketHub.Client.Chat;

/// <summary>
/// The session's private chats that go peer to peer, in the original clients' peer protocol
/// (<see cref="ChatPeerProtocol"/>): the links this user opened to the address
/// <c>startprivate</c> disclosed, and the ones peers opened to this user's listener. One link
/// per peer; a newer one replaces the older.
/// </summary>
public sealed class ChatPeerLinks(string user, ChatConsole console) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ChatPeerLink> _links = new(StringComparer.Ordinal);
    private TcpListener? _listener;

    /// <summary>Set when the user leaves: links that close from then on are not announced.</summary>
    public bool Leaving { get; set; }

    /// <summary>Listens for peers on <paramref name="port"/> (0: any free port); returns the port bound.</summary>
    public int Listen(int port, CancellationToken ct)
    {
        _listener = new TcpListener(IPAddress.IPv6Any, port);
        _listener.Server.DualMode = true;
        try
        {
            _listener.Start();
        }
        catch (SocketException e)
        {
            throw new ClientException(ExitCodes.Failure, $"cannot listen for direct private chats on port {port}: {e.Message} (use --p2p-port or --no-p2p)", e);
        }

        var listener = _listener;
        _ = Task.Run(() => AcceptPeersAsync(listener, ct), CancellationToken.None);
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Takes a typed <c>private</c> or <c>stopprivate</c> for a peer this user has a link with:
    /// it goes over the link, not to the server. False when the line is none of these.
    /// </summary>
    public async Task<bool> TryHandleAsync(string command, string[] words, CancellationToken ct)
    {
        if (command == "private" && words.Length >= 2 && _links.TryGetValue(words[0], out var link))
        {
            if (!await link.TrySendAsync(ChatPeerProtocol.Message(user, string.Join(' ', words[1..])), ct))
            {
                Remove(words[0], link);
                console.Print($"The direct connection to {words[0]} is gone.");
            }

            return true;
        }

        if (command == "stopprivate" && words.Length >= 1 && _links.TryRemove(words[0], out var stopping))
        {
            await stopping.TrySendAsync(ChatPeerProtocol.Closing(user), ct);
            await stopping.DisposeAsync();
            console.Print($"Chat with {words[0]} closed.");
            return true;
        }

        return false;
    }

    /// <summary>Opens a link to <paramref name="peer"/> at the address the server disclosed, and reads it.</summary>
    public async Task ConnectAsync(string peer, string address, int port, CancellationToken ct)
    {
        if (_links.ContainsKey(peer))
        {
            console.Print($"A private chat with {peer} is open already.");
            return;
        }

        try
        {
            var connection = await FramedConnection.ConnectAsync(new ServerAddress(address, port), NewPeerDecoder(), ct);
            var link = new ChatPeerLink(connection);
            if (!await link.TrySendAsync([ChatPeerProtocol.Syn(user)], ct))
            {
                await link.DisposeAsync();
                throw new ClientException(ExitCodes.CannotConnect, "the peer closed the connection");
            }

            Add(peer, link);
            console.Print($"Direct connection to {peer} at {address}:{port}: you can private message {peer} now.");
            _ = Task.Run(() => ReadPeerAsync(peer, link, ct), CancellationToken.None);
        }
        catch (ClientException e)
        {
            console.Print($"Could not connect to {peer} ({e.Message}).");
        }
    }

    /// <summary>As the original client does when it leaves: each peer hears that the chat is closing.</summary>
    public async Task SayGoodbyeAsync()
    {
        foreach (var link in _links.Values)
        {
            await link.TrySendAsync(ChatPeerProtocol.Closing(user), CancellationToken.None);
        }
    }

    /// <summary>Stops listening and closes every link (after the session's loops were cancelled, so no close is announced).</summary>
    public async ValueTask DisposeAsync()
    {
        _listener?.Stop();
        foreach (var link in _links.Values)
        {
            await link.DisposeAsync();
        }

        _links.Clear();
    }

    private async Task AcceptPeersAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServePeerAsync(socket, ct), CancellationToken.None);
        }
    }

    private async Task ServePeerAsync(Socket socket, CancellationToken ct)
    {
        var link = new ChatPeerLink(FramedConnection.FromSocket(socket, NewPeerDecoder(), socket.RemoteEndPoint?.ToString() ?? "peer"));
        try
        {
            var syn = await link.Connection.ReadFrameAsync(ct, TimeSpan.FromSeconds(10));
            if (syn is null || !ChatPeerProtocol.TryParse(syn, out var command, out var peer, out _)
                || command != ChatPeerProtocol.SynCommand || peer == user)
            {
                await link.DisposeAsync();
                return;
            }

            Add(peer, link);
            console.Print($"{peer} started a private connection. You can private message them now.");
            await ReadPeerAsync(peer, link, ct);
        }
        catch (ClientException)
        {
            await link.DisposeAsync();
        }
    }

    private async Task ReadPeerAsync(string peer, ChatPeerLink link, CancellationToken ct)
    {
        try
        {
            while (await link.Connection.ReadFrameAsync(ct, Timeout.InfiniteTimeSpan) is { } text)
            {
                if (ChatPeerProtocol.TryParse(text, out var command, out _, out var message) && command == ChatPeerProtocol.PrivateCommand)
                {
                    console.Print(ChatPeerProtocol.Received(peer, message));
                }
            }
        }
        catch (Exception e) when (e is ClientException or OperationCanceledException or ObjectDisposedException)
        {
        }

        if (Remove(peer, link) && !ct.IsCancellationRequested && !Leaving)
        {
            console.Print($"The direct connection with {peer} closed.");
        }
    }

    // A peer is another client: what it sends is sized like what a client sends the server.
    private static JsonObjectDecoder NewPeerDecoder() => new(ChatJsonRequest.MaxRequestBytes);

    private void Add(string peer, ChatPeerLink link)
    {
        ChatPeerLink? old = null;
        _links.AddOrUpdate(peer, link, (_, existing) =>
        {
            old = existing;
            return link;
        });
        if (old is not null && !ReferenceEquals(old, link))
        {
            _ = old.DisposeAsync().AsTask();
        }
    }

    private bool Remove(string peer, ChatPeerLink link)
    {
        var removed = _links.TryRemove(new KeyValuePair<string, ChatPeerLink>(peer, link));
        _ = link.DisposeAsync().AsTask();
        return removed;
    }
}
