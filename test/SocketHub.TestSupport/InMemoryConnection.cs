using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace SocketHub.TestSupport;

/// <summary>
/// A connection without a socket: <see cref="Transport"/> is the server's end of two pipes and
/// <see cref="Application"/> the client's end, so a test can run the server's connection pipeline
/// on it and play the client byte by byte. It comes from 127.0.0.1 on a port of its own, like a
/// client on the same machine; a test may set another address, id, features or items.
/// </summary>
public sealed class InMemoryConnection : ConnectionContext
{
    private static int s_connections;
    private static int s_lastPort = 49151;

    private readonly CancellationTokenSource _closed = new();
    private readonly PipeWriter _serverOutput;
    private int _aborted;

    public InMemoryConnection()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        _serverOutput = toClient.Writer;
        Transport = new DuplexPipe(toServer.Reader, toClient.Writer);
        Application = new DuplexPipe(toClient.Reader, toServer.Writer);
        ConnectionClosed = _closed.Token;
    }

    /// <summary>The client's end: read what the server wrote from its input, write what the client sends to its output.</summary>
    public IDuplexPipe Application { get; }

    /// <summary>The server's end, which the pipeline reads and writes (and middleware may wrap).</summary>
    public override IDuplexPipe Transport { get; set; }

    public override string ConnectionId { get; set; } = $"in-memory-{Interlocked.Increment(ref s_connections)}";

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new ConnectionItems();

    public override EndPoint? RemoteEndPoint { get; set; } = new IPEndPoint(IPAddress.Loopback, NextPort());

    public override EndPoint? LocalEndPoint { get; set; } = new IPEndPoint(IPAddress.Loopback, 0);

    public override CancellationToken ConnectionClosed { get; set; }

    /// <summary>Why the server aborted the connection; null while it has not.</summary>
    public ConnectionAbortedException? AbortReason { get; private set; }

    public bool IsAborted => Volatile.Read(ref _aborted) == 1;

    /// <summary>
    /// What a transport does when the server aborts: the connection is reset for the client, whose
    /// waiting read wakes up to find it so, and a server write waiting for the client to read
    /// stops waiting. <see cref="ConnectionClosed"/> fires on the thread pool, as Kestrel's does,
    /// so no callback runs inside the caller's Abort.
    /// </summary>
    public override void Abort(ConnectionAbortedException abortReason)
    {
        if (Interlocked.CompareExchange(ref _aborted, 1, 0) != 0)
        {
            return;
        }

        AbortReason = abortReason;
        Application.Input.CancelPendingRead();
        _serverOutput.CancelPendingFlush();
        ThreadPool.UnsafeQueueUserWorkItem(static closed => closed.Cancel(), _closed, preferLocal: false);
    }

    /// <summary>A client port like the kernel's: each connection its own, from the ephemeral range.</summary>
    private static int NextPort() => 49152 + ((Interlocked.Increment(ref s_lastPort) - 49152) % 16384);

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
