using SocketHub.Client.Net;
using SocketHub.Protocol.Chat;

namespace SocketHub.Client.Chat;

/// <summary>
/// One logged-in chat session on the JSON port (the COMP3331 messenger's protocol): a reader loop
/// prints what the server pushes while the input loop turns typed lines into requests, split at
/// spaces as the original client does, one at a time (each waits for its reply, so a script's
/// <c>startprivate bob</c> has its direct connection set up before the next line runs).
/// Private chats go peer to peer (<see cref="ChatPeerLinks"/>), so this client and the original
/// talk privately; a private chat a text-port user started is relayed by the server. Replies are
/// paired with their requests by <see cref="ChatPendingRequests"/>; the terminal is
/// <see cref="ChatConsole"/>.
/// </summary>
public sealed class ChatClientSession : IAsyncDisposable
{
    private readonly string _user;
    private readonly FramedConnection _server;
    private readonly int? _p2pPort;
    private readonly ChatConsole _console;
    private readonly ChatPendingRequests _requests;
    private readonly ChatPeerLinks _peers;
    private readonly CancellationTokenSource _stop = new();
    private string _partial = string.Empty;
    private bool _loggingOut;

    public ChatClientSession(ClientIo io, string user, FramedConnection server, int? p2pPort)
    {
        _user = user;
        _server = server;
        _p2pPort = p2pPort;
        _console = new ChatConsole(io);
        _requests = new ChatPendingRequests(server);
        _peers = new ChatPeerLinks(user, _console);
    }

    public async Task<int> RunAsync(string password, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        var token = linked.Token;
        var reader = Task.Run(() => ReadServerAsync(token), CancellationToken.None);

        var login = await _requests.SendAsync("login", ChatJsonClient.Request("login", _user, password), reader, token);
        if (login is null || !login.Success)
        {
            throw new ClientException(ExitCodes.ServerError, $"login refused: {login?.Message ?? "the server closed the connection"}");
        }

        _console.Print(login.Message);
        foreach (var unread in login.UnreadMessages)
        {
            _console.Print(unread.TrimStart(' '));
        }

        if (_p2pPort is { } listenPort)
        {
            await StartListeningAsync(listenPort, reader, token);
        }

        _console.Print("Type help for the commands, logout to leave.");
        try
        {
            while (!reader.IsCompleted)
            {
                var (read, line) = await _console.ReadLineAsync(reader, token);
                if (!read)
                {
                    break;
                }

                // End of input: leave politely.
                await HandleLineAsync(line ?? "logout", reader, token);
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
        if (await _peers.TryHandleAsync(command, words, ct))
        {
            return;
        }

        if (command is "logout" or "disconnect")
        {
            _loggingOut = true;
            _peers.Leaving = true;
        }

        await _requests.SendAsync(command, json, reader, ct);
    }

    private async Task ReadServerAsync(CancellationToken ct)
    {
        while (await _server.ReadFrameAsync(ct, Timeout.InfiniteTimeSpan) is { } text)
        {
            if (!ChatJsonClient.TryParse(text, out var incoming))
            {
                _console.Print($"(unexpected from the server: {Board.BoardCommands.Shorten(text)})");
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
                _console.Print(ChatJsonClient.Describe(incoming));
            }
        }
    }

    private async Task OnReplyAsync(ChatJsonIncoming reply, CancellationToken ct)
    {
        if (!_requests.TryTakeOldest(out var request))
        {
            _console.Print(reply.Message);
            return;
        }

        if (request.Command is not ("login" or "p2p"))
        {
            _console.Print(reply.Status == ChatJsonTexts.Logout ? "Logged out." : reply.Message);
        }

        if (reply is { Success: true, Command: ChatJsonTexts.StartPrivateCommand, Target: { } peer, TargetAddress: var (host, port) })
        {
            await _peers.ConnectAsync(peer, host, port, ct);
        }

        request.Reply.TrySetResult(reply);
    }

    private async Task StartListeningAsync(int port, Task reader, CancellationToken ct)
    {
        var bound = _peers.Listen(port, ct);
        var reply = await _requests.SendAsync("p2p", ChatJsonClient.Request("p2p", bound.ToString(System.Globalization.CultureInfo.InvariantCulture)), reader, ct);
        if (reply is { Success: true })
        {
            _console.Print($"Listening for direct private chats on port {bound}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _peers.SayGoodbyeAsync();
        await _stop.CancelAsync();
        await _peers.DisposeAsync();
        _stop.Dispose();
    }
}
