using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SocketHub.Client.Net;
using SocketHub.Protocol.Chat;

namespace SocketHub.Client.Chat;

/// <summary>
/// One logged-in chat session: a reader loop prints what the server pushes while the input loop
/// turns typed lines into JSON requests, one at a time (each waits for its reply, so a script's
/// <c>startprivate bob</c> has its direct connection set up before the next line runs).
/// Private chats go over a direct connection to the peer when the server disclosed where it
/// listens (<see cref="ChatPeerProtocol"/>), and through the server otherwise.
/// </summary>
public sealed class ChatClientSession : IAsyncDisposable
{
    private readonly ClientIo _io;
    private readonly string _user;
    private readonly FramedConnection _server;
    private readonly int? _p2pPort;
    private readonly Lock _printLock = new();
    private readonly ConcurrentQueue<(string Command, string[] Words, TaskCompletionSource<ChatReply> Reply)> _pending = new();
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
        var typed = ChatCommand.ParseLine(line);
        if (typed.Kind == ChatCommandKind.Private && typed.Error is null && _peers.TryGetValue(typed.User, out var link))
        {
            if (await link.TrySendAsync(ChatPeerProtocol.Message(typed.Text), ct))
            {
                return;
            }

            RemovePeer(typed.User, link);
            Print($"The direct connection to {typed.User} is gone; this message goes through the server.");
        }

        if (ChatJsonClient.FromTextLine(line) is not { } request)
        {
            return;
        }

        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (request.Command is "logout" or "disconnect")
        {
            _loggingOut = true;
        }

        var reply = await RequestAsync(request.Command, words[1..], request.Json, reader, ct);
        if (reply is null)
        {
            return;
        }

        if (request.Command == "stopprivate" && words.Length == 2 && _peers.TryRemove(words[1], out var stopped))
        {
            await stopped.DisposeAsync();
        }
    }

    /// <summary>Sends a request and waits for its reply (the reader loop completes it); null when the server closed first.</summary>
    private async Task<ChatReply?> RequestAsync(string command, string[] words, string json, Task reader, CancellationToken ct)
    {
        var reply = new TaskCompletionSource<ChatReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.Enqueue((command, words, reply));
        await _server.SendAsync(json, ct);
        await Task.WhenAny(reply.Task, reader).WaitAsync(ct);
        return reply.Task.IsCompleted ? await reply.Task : null;
    }

    private async Task ReadServerAsync(CancellationToken ct)
    {
        while (await _server.ReadFrameAsync(ct, Timeout.InfiniteTimeSpan) is { } line)
        {
            if (!ChatJsonClient.TryParse(line, out var output))
            {
                Print($"(unexpected from the server: {Board.BoardCommands.Shorten(line)})");
                continue;
            }

            switch (output)
            {
                case ChatReply reply:
                    await OnReplyAsync(reply, ct);
                    break;
                case ChatEvent { Kind: ChatEventKind.Private, Action: "stop", Sender: { } sender } e:
                    Print(e.Message);
                    if (_peers.TryRemove(sender, out var link))
                    {
                        await link.DisposeAsync();
                    }

                    break;
                default:
                    Print(output.Message);
                    break;
            }
        }
    }

    private async Task OnReplyAsync(ChatReply reply, CancellationToken ct)
    {
        if (!_pending.TryDequeue(out var request))
        {
            Print(reply.Message);
            return;
        }

        if (request.Command != "login" && request.Command != "p2p" && reply.Message.Length > 0)
        {
            Print(reply.Message);
        }

        if (request.Command == "startprivate" && reply.Success && request.Words.Length == 1)
        {
            var peer = request.Words[0];
            if (reply.Address is { } address && reply.Port is { } port)
            {
                await ConnectToPeerAsync(peer, address, port, ct);
            }
            else if (_p2pPort is not null)
            {
                Print($"{peer} takes no direct connections; private messages go through the server.");
            }
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
        var link = new PeerLink(FramedConnection.FromSocket(socket, ChatFraming.Options, socket.RemoteEndPoint?.ToString() ?? "peer"));
        try
        {
            var hello = await link.Connection.ReadFrameAsync(ct, TimeSpan.FromSeconds(10));
            if (hello is null || !ChatPeerProtocol.TryParseHello(hello, out var peer) || peer == _user)
            {
                await link.DisposeAsync();
                return;
            }

            AddPeer(peer, link);
            Print($"{peer} connected directly for private chat.");
            await ReadPeerAsync(peer, link, ct);
        }
        catch (ClientException)
        {
            await link.DisposeAsync();
        }
    }

    private async Task ConnectToPeerAsync(string peer, string address, int port, CancellationToken ct)
    {
        try
        {
            var connection = await FramedConnection.ConnectAsync(address, port, ChatFraming.Options, ct);
            var link = new PeerLink(connection);
            if (!await link.TrySendAsync(ChatPeerProtocol.Hello(_user), ct))
            {
                await link.DisposeAsync();
                throw new ClientException(ExitCodes.CannotConnect, "the peer closed the connection");
            }

            AddPeer(peer, link);
            Print($"Direct connection to {peer} at {address}:{port}: private messages skip the server.");
            _ = Task.Run(() => ReadPeerAsync(peer, link, ct), CancellationToken.None);
        }
        catch (ClientException e)
        {
            Print($"Could not connect directly to {peer} ({e.Message}); private messages go through the server.");
        }
    }

    private async Task ReadPeerAsync(string peer, PeerLink link, CancellationToken ct)
    {
        try
        {
            while (await link.Connection.ReadFrameAsync(ct, Timeout.InfiniteTimeSpan) is { } text)
            {
                Print(ChatPeerProtocol.Received(peer, text));
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
        private readonly SemaphoreSlim _send = new(1, 1);
        private int _disposed;

        public FramedConnection Connection { get; } = connection;

        public async Task<bool> TrySendAsync(string line, CancellationToken ct)
        {
            await _send.WaitAsync(ct);
            try
            {
                await Connection.SendAsync(line, ct);
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
