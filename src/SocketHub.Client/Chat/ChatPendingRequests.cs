using System.Collections.Concurrent;
using SocketHub.Client.Net;
using SocketHub.Protocol.Chat;

namespace SocketHub.Client.Chat;

/// <summary>
/// Pairs the JSON port's replies with the requests they answer. The server answers requests in
/// the order they came and marks its pushed events apart from replies, so the first reply
/// belongs to the oldest request still waiting.
/// </summary>
public sealed class ChatPendingRequests(FramedConnection server)
{
    private readonly ConcurrentQueue<Pending> _waiting = new();

    /// <summary>A request sent and not yet answered.</summary>
    /// <param name="Command">The request's command, which says how to show its reply.</param>
    /// <param name="Reply">Completed with the reply once it comes.</param>
    public sealed record Pending(string Command, TaskCompletionSource<ChatJsonIncoming> Reply);

    /// <summary>
    /// Sends a request and waits for its reply (the server's reader passes it to
    /// <see cref="TryTakeOldest"/>); null when <paramref name="reader"/> ends first, the server
    /// having closed the connection.
    /// </summary>
    public async Task<ChatJsonIncoming?> SendAsync(string command, string json, Task reader, CancellationToken ct)
    {
        var reply = new TaskCompletionSource<ChatJsonIncoming>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Enqueue(new Pending(command, reply));
        await server.SendAsync(json, ct);
        await Task.WhenAny(reply.Task, reader).WaitAsync(ct);
        return reply.Task.IsCompleted ? await reply.Task : null;
    }

    /// <summary>The request a reply that has just come answers: the oldest waiting. False when none waits.</summary>
    public bool TryTakeOldest([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Pending? request) =>
        _waiting.TryDequeue(out request);
}
