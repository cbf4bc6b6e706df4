using System.Collections.Concurrent;
using System.Security.Cryptography;
using SocketHub.Client.Net;
using SocketHub.Protocol.Chat;
using SocketHub.Protocol.Framing;

namespace SocketHub.Client.Load;

/// <summary>
/// Chat load: logged-in JSON clients (open registration, names <c>load-&lt;random&gt;-&lt;n&gt;</c>)
/// broadcasting; each reply is one request, and every broadcast that reaches another load client
/// counts as a delivery at the receiver.
/// </summary>
public sealed class ChatLoad : IAsyncDisposable
{
    private readonly List<Client> _clients = [];
    private readonly LoadStats _stats;
    private readonly string _prefix = "load-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)) + "-";

    public ChatLoad(LoadStats stats) => _stats = stats;

    public int LoggedIn => _clients.Count;

    /// <summary>Logs the clients in with bounded concurrency (each login costs the server a slow password hash).</summary>
    public async Task LoginAsync(LoadSettings settings, Action<int> progress, CancellationToken ct)
    {
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var done = 0;
        var failures = new ConcurrentQueue<string>();
        var clients = new ConcurrentBag<Client>();
        await Parallel.ForAsync(0, settings.Connections, new ParallelOptions { MaxDegreeOfParallelism = settings.LoginConcurrency, CancellationToken = ct }, async (i, token) =>
        {
            try
            {
                var connection = await FramedConnection.ConnectAsync(settings.Server, new JsonObjectDecoder(ChatFraming.MaxJsonReplyBytes), token);
                var client = new Client(connection, _prefix + (i + 1), _stats, _prefix);
                client.Start();
                var reply = await client.RequestAsync(ChatJsonClient.Request("login", client.Name, password), token);
                if (reply is { Success: true })
                {
                    clients.Add(client);
                }
                else
                {
                    failures.Enqueue(reply?.Message ?? "the server closed the connection");
                    await client.DisposeAsync();
                }
            }
            catch (ClientException e)
            {
                failures.Enqueue(e.Message);
            }

            progress(Interlocked.Increment(ref done));
        });
        _clients.AddRange(clients);
        if (_clients.Count == 0)
        {
            throw new ClientException(
                failures.IsEmpty ? ExitCodes.Failure : ExitCodes.ServerError,
                $"no load client could log in: {(failures.TryPeek(out var first) ? first : "no connections requested")}");
        }
    }

    public Task RunAsync(double rate, CancellationToken ct) =>
        Task.WhenAll(_clients.Select(c => Task.Run(() => c.BroadcastLoopAsync(rate, ct), CancellationToken.None)));

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await Task.WhenAll(_clients.Select(c => c.LogoutAsync(timeout.Token)));
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }

    private sealed class Client(FramedConnection connection, string name, LoadStats stats, string prefix) : IAsyncDisposable
    {
        private readonly ConcurrentQueue<TaskCompletionSource<ChatJsonIncoming?>> _pending = new();
        private Task _reader = Task.CompletedTask;

        public string Name { get; } = name;

        public void Start() => _reader = Task.Run(ReadAsync);

        public async Task<ChatJsonIncoming?> RequestAsync(string json, CancellationToken ct)
        {
            var reply = new TaskCompletionSource<ChatJsonIncoming?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending.Enqueue(reply);
            await connection.SendAsync(json, ct);
            return await reply.Task.WaitAsync(FramedConnection.ReplyTimeout, ct);
        }

        /// <summary>Broadcasts <c>load &lt;n&gt;</c> again and again; after a failure this user stops (it is not logged in again).</summary>
        public Task BroadcastLoopAsync(double rate, CancellationToken ct)
        {
            long n = 0;
            return LoadLoop.RunAsync(stats, rate, async token =>
            {
                var reply = await RequestAsync(ChatJsonClient.Request("broadcast", $"load {++n}"), token)
                    ?? throw new ClientException(ExitCodes.CannotConnect, "the server closed the connection");
                return reply.Success ? LoadOutcome.Succeeded
                    : reply.Message == ChatTexts.SlowDown ? LoadOutcome.Limited
                    : LoadOutcome.Failed(reply.Message);
            }, LoadLoop.StopAsync, ct, worker: Name);
        }

        public async Task LogoutAsync(CancellationToken ct)
        {
            try
            {
                await RequestAsync(ChatJsonClient.Request("logout"), ct);
            }
            catch (Exception e) when (e is ClientException or OperationCanceledException or TimeoutException)
            {
                // Closing the connection logs out as well.
            }
        }

        private async Task ReadAsync()
        {
            try
            {
                while (await connection.ReadFrameAsync(CancellationToken.None, Timeout.InfiniteTimeSpan) is { } line)
                {
                    if (!ChatJsonClient.TryParse(line, out var output))
                    {
                        continue;
                    }

                    if (output.IsReply)
                    {
                        if (_pending.TryDequeue(out var waiting))
                        {
                            waiting.TrySetResult(output);
                        }
                    }
                    else if (output is { Status: ChatJsonTexts.Broadcast, Presence: null, Sender: { } sender } && sender.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        stats.Delivered();
                    }
                }
            }
            catch (Exception e) when (e is ClientException or ObjectDisposedException)
            {
            }

            while (_pending.TryDequeue(out var waiting))
            {
                waiting.TrySetResult(null);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await connection.DisposeAsync();
            await _reader;
        }
    }
}
