using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace SocketHub.TestSupport;

/// <summary>
/// The raw client over an <see cref="InMemoryConnection"/>: it runs a connection pipeline (the
/// server's gate and dialect handler, see <c>ConnectionPipelines.Build</c>) on the connection and
/// plays the client at the other end, with no socket and no port. For protocol logic; what
/// crosses the wire (limits, resets, the original clients) is tested with <see cref="TcpTestClient"/>.
/// </summary>
public sealed class InMemoryClient : RawClient
{
    private readonly IDuplexPipe _client;
    private bool _resetSeen;

    private InMemoryClient(InMemoryConnection connection, ConnectionDelegate pipeline)
    {
        Connection = connection;
        _client = connection.Application;
        var transport = connection.Transport;
        Server = Task.Run(async () =>
        {
            try
            {
                await pipeline(connection);
            }
            finally
            {
                // As Kestrel does once the pipeline returns: the connection closes, and the client
                // reads to its end.
                await transport.Output.CompleteAsync();
                await transport.Input.CompleteAsync();
            }
        });
    }

    /// <summary>Starts <paramref name="pipeline"/> on a new connection (or on <paramref name="connection"/>).</summary>
    public static InMemoryClient Start(ConnectionDelegate pipeline, InMemoryConnection? connection = null) =>
        new(connection ?? new InMemoryConnection(), pipeline);

    public InMemoryConnection Connection { get; }

    /// <summary>The pipeline's run on this connection: done when the server is done with it.</summary>
    public Task Server { get; }

    public override async Task SendAsync(byte[] bytes)
    {
        ThrowIfReset();
        using var timeout = new CancellationTokenSource(Deadline);
        await _client.Output.WriteAsync(bytes, timeout.Token);
        ThrowIfReset(); // an abort cancels a write that waits for the server to read
    }

    public override void ShutdownSend() => _client.Output.Complete();

    /// <summary>
    /// Closes the client's end, as a client that closes its socket: the server reads the end of
    /// the stream and what it still writes goes nowhere. Then waits for the server to be done with
    /// the connection, so that nothing of it outlives the test and a fault in it fails the test.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await _client.Output.CompleteAsync();
        await _client.Input.CompleteAsync();
        await Server.WaitAsync(Deadline);
    }

    protected override async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ThrowIfReset();
        var result = await _client.Input.ReadAsync(cancellationToken);
        ThrowIfReset(); // an abort cancels the pending read
        var taken = (int)Math.Min(result.Buffer.Length, buffer.Length);
        var bytes = result.Buffer.Slice(0, taken);
        bytes.CopyTo(buffer.Span);
        _client.Input.AdvanceTo(bytes.End);
        return taken;
    }

    protected override bool IsSendFailure(Exception e) => e is ConnectionResetException;

    protected override bool IsReset(Exception e) => e is ConnectionResetException;

    /// <summary>
    /// Once the server has aborted, the connection is reset for the client, as a socket would be:
    /// the client's end closes (the server's reads end with the abort's reason, its writes go
    /// nowhere), and every operation fails with a <see cref="ConnectionResetException"/>.
    /// </summary>
    private void ThrowIfReset()
    {
        if (!Connection.IsAborted)
        {
            return;
        }

        if (!_resetSeen)
        {
            _resetSeen = true;
            _client.Output.Complete(Connection.AbortReason);
            _client.Input.Complete();
        }

        throw new ConnectionResetException("The server aborted the connection.", Connection.AbortReason!);
    }
}
