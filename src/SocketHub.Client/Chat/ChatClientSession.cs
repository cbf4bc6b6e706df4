using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SocketHub.Client.Net;
using SocketHub.Protocol.Chat;
using SocketHub.Protocol.Framing;

namespace SocketHub.Client.Chat;

/// <summary>
/// One logged-in chat session on the JSON port (the COMP3331 messenger's protocol): a reader loop
/// prints what the server pushes while the input loop turns typed lines into requests, split at
/// spaces as the original client does, one at a time (each waits for its reply, so a script's
/// <c>startprivate bob</c> has its direct connection set up before the next line runs).
/// Private chats go peer to peer, to the address <c>startprivate</c> disclosed, in the original
/// clients' peer protocol (<see cref="ChatPeerProtocol"/>), so this client and the original talk
/// privately; a private chat a text-port user started is relayed by the server.
/// </summary>
public sealed class ChatClientSession : IAsyncDisposable
{
    private readonly ClientIo _io;
    private readonly string _user;
    private readonly FramedConnection _server;
    private readonly int? _p2pPort;
    private readonly Lock _printLock = new();
    private readonly ConcurrentQueue<(string Command, string[] Words, TaskCompletionSource<ChatJsonIncoming> Reply)> _pending = new();
    private string _partial = string.Empty;
    private readonly ConcurrentDictionary<string, PeerLink> _peers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;
    private bool _loggingOut;

    public ChatClientSession(ClientIo io, string user, FramedConnection server, int? p2pPort)
    {
        _io = io;
        _user = user;
        _server = server;
        _p2pPort = p2pPort;
    }

    public async Task<int> RunAsync(string password, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        var token = linked.Token;
        var reader = Task.Run(() => ReadServerAsync(token), CancellationToken.None);

        var login = await RequestAsync("login", [_user, password], ChatJsonClient.Request("login", _user, password), reader, token);
        if (login is null || !login.Success)
        {
            throw new ClientException(ExitCodes.ServerError, $"login refused: {login?.Message ?? "the server closed the connection"}");
        }

        Print(login.Message);
        foreach (var unread in login.UnreadMessages)
        {
            Print(unread.TrimStart(' '));
        }

        if (_p2pPort is { } listenPort)
        {
            await StartListeningAsync(listenPort, reader, token);
        }

        Print("Type help for the commands, logout to leave.");
        try
        {
            while (!reader.IsCompleted)
            {
                var readLine = Task.Run(() => _io.In.ReadLineAsync(token).AsTask(), token);
                var first = await Task.WhenAny(readLine, reader);
                if (first == reader)
                {
                    break;
                }

                var line = await readLine;
                if (line is null)
                {
                    // End of input: leave politely.
                    line = "logout";
                }

                await HandleLineAsync(line, reader, token);
                if (_loggingOut)
                {
                    break;
                }
            }

            await reader;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C: log out without waiting.
            try
            {
                await _server.SendAsync(ChatJsonClient.Request("logout"), CancellationToken.None);
            }
            catch (ClientException)
            {
            }

            return ExitCodes.Success;
        }

        if (_loggingOut)
        {
            return ExitCodes.Success;
        }

        throw new ClientException(ExitCodes.CannotConnect, "the server closed the connection");
    }

    private async Task HandleLineAsync(string line, Task reader, CancellationToken ct)
    {
        if (ChatJsonClient.FromTextLine(line) is not { } request)
        {
            return;
        }

        var (command, words, json) = request;
        if (command == "private" && words.Length >= 2 && _peers.TryGetValue(words[0], out var link))
        {
            if (await link.TrySendAsync(ChatPeerProtocol.Message(_user, string.Join(' ', words[1..])), ct))
            {
                return;
            }

            RemovePeer(words[0], link);
            Print($"The direct connection to {words[0]} is gone.");
            return;
        }

        if (command == "stopprivate" && words.Length >= 1 && _peers.TryRemove(words[0], out var stopping))
        {
            await stopping.TrySendAsync(ChatPeerProtocol.Closing(_user), ct);
            await stopping.DisposeAsync();
            Print($"Chat with {words[0]} closed.");
            return;
        }

        if (command is "logout" or "disconnect")
        {
            _loggingOut = true;
        }

        await RequestAsync(command, words, json, reader, ct);
    }

    /// <summary>Sends a request and waits for its reply (the reader loop completes it); null when the server closed first.</summary>
    private async Task<ChatJsonIncoming?> RequestAsync(string command, string[] words, string json, Task reader, CancellationToken ct)
    {
        var reply = new TaskCompletionSource<ChatJsonIncoming>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.Enqueue((command, words, reply));
        await _server.SendAsync(json, ct);
        await Task.WhenAny(reply.Task, reader).WaitAsync(ct);
        return reply.Task.IsCompleted ? await reply.Task : null;
    }

    private async Task ReadServerAsync(CancellationToken ct)
    {
        while (await _server.ReadFrameAsync(ct, Timeout.InfiniteTimeSpan) is { } text)
        {
            if (!ChatJsonClient.TryParse(text, out var incoming))
            {
                Print($"(unexpected from the server: {Board.BoardCommands.Shorten(text)})");
                continue;
            }

            // A text too long for one 1,024-byte object comes in parts: put it back together.
            if (incoming.More)
            {
                _partial += incoming.Message;
                continue;
            }

            if (_partial.Length > 0)
            {
                incoming = incoming with { Message = _partial + incoming.Message };
                _partial = string.Empty;
            }

            if (incoming.IsReply)
            {
                await OnReplyAsync(incoming, ct);
                if (incoming.Status == ChatJsonTexts.Logout)
                {
                    return;
                }
            }
            else
            {
                Print(ChatJsonClient.Describe(incoming));
            }
        }
    }

    private async Task OnReplyAsync(ChatJsonIncoming reply, CancellationToken ct)
    {
        if (!_pending.TryDequeue(out var request))
        {
            Print(reply.Message);
            return;
        }

        if (request.Command is not ("login" or "p2p"))
        {
            Print(reply.Status == ChatJsonTexts.Logout ? "Logged out." : reply.Message);
        }

        if (reply is { Success: true, Command: ChatJsonTexts.StartPrivateCommand, Target: { } peer, TargetAddress: var (host, port) })
        {
            await ConnectToPeerAsync(peer, host, port, ct);
        }

        request.Reply.TrySetResult(reply);
    }

    private async Task StartListeningAsync(int port, Task reader, CancellationToken ct)
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

        var bound = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(() => AcceptPeersAsync(_listener, ct), CancellationToken.None);
        var reply = await RequestAsync("p2p", [], ChatJsonClient.Request("p2p", bound.ToString(System.Globalization.CultureInfo.InvariantCulture)), reader, ct);
        if (reply is { Success: true })
        {
            Print($"Listening for direct private chats on port {bound}.");
        }
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
        var link = new PeerLink(FramedConnection.FromSocket(socket, NewPeerDecoder(), socket.RemoteEndPoint?.ToString() ?? "peer"));
        try
        {
            var syn = await link.Connection.ReadFrameAsync(ct, TimeSpan.FromSeconds(10));
            if (syn is null || !ChatPeerProtocol.TryParse(syn, out var command, out var peer, out _)
                || command != ChatPeerProtocol.SynCommand || peer == _user)
            {
                await link.DisposeAsync();
                return;
            }

            AddPeer(peer, link);
            Print($"{peer} started a private connection. You can private message them now.");
            await ReadPeerAsync(peer, link, ct);
        }
        catch (ClientException)
        {
            await link.DisposeAsync();
        }
    }

    private async Task ConnectToPeerAsync(string peer, string address, int port, CancellationToken ct)
    {
        if (_peers.ContainsKey(peer))
        {
            Print($"A private chat with {peer} is open already.");
            return;
        }

        try
        {
            var connection = await FramedConnection.ConnectAsync(address, port, NewPeerDecoder(), ct);
            var link = new PeerLink(connection);
            if (!await link.TrySendAsync([ChatPeerProtocol.Syn(_user)], ct))
            {
                await link.DisposeAsync();
                throw new ClientException(ExitCodes.CannotConnect, "the peer closed the connection");
            }

            AddPeer(peer, link);
            Print($"Direct connection to {peer} at {address}:{port}: you can private message {peer} now.");
            _ = Task.Run(() => ReadPeerAsync(peer, link, ct), CancellationToken.None);
        }
        catch (ClientException e)
        {
            Print($"Could not connect to {peer} ({e.Message}).");
        }
    }

    private async Task ReadPeerAsync(string peer, PeerLink link, CancellationToken ct)
    {
        try
        {
            while (await link.Connection.ReadFrameAsync(ct, Timeout.InfiniteTimeSpan) is { } text)
            {
                if (ChatPeerProtocol.TryParse(text, out var command, out _, out var message) && command == ChatPeerProtocol.PrivateCommand)
                {
                    Print(ChatPeerProtocol.Received(peer, message));
                }
            }
        }
        catch (Exception e) when (e is ClientException or OperationCanceledException or ObjectDisposedException)
        {
        }

        if (RemovePeer(peer, link) && !ct.IsCancellationRequested && !_loggingOut)
        {
            Print($"The direct connection with {peer} closed.");
        }
    }

    private static JsonObjectDecoder NewPeerDecoder() => new(ChatJsonRequest.MaxRequestBytes);

    private void AddPeer(string peer, PeerLink link)
    {
        PeerLink? old = null;
        _peers.AddOrUpdate(peer, link, (_, existing) =>
        {
            old = existing;
            return link;
        });
        if (old is not null && !ReferenceEquals(old, link))
        {
            _ = old.DisposeAsync().AsTask();
        }
    }

    private bool RemovePeer(string peer, PeerLink link)
    {
        var removed = _peers.TryRemove(new KeyValuePair<string, PeerLink>(peer, link));
        _ = link.DisposeAsync().AsTask();
        return removed;
    }

    private void Print(string message)
    {
        if (message.Length == 0)
        {
            return;
        }

        lock (_printLock)
        {
            _io.Out.WriteLine(message);
            _io.Out.Flush();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // As the original client does when it leaves: each peer hears that the chat is closing.
        foreach (var link in _peers.Values)
        {
            await link.TrySendAsync(ChatPeerProtocol.Closing(_user), CancellationToken.None);
        }

        await _stop.CancelAsync();
        _listener?.Stop();
        foreach (var link in _peers.Values)
        {
            await link.DisposeAsync();
        }

        _peers.Clear();
        _stop.Dispose();
    }

    /// <summary>A direct connection to one peer; sends are serialised.</summary>
    private sealed class PeerLink(FramedConnection connection) : IAsyncDisposable
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
}
