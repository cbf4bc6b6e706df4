using System.Net;
using System.Net.Sockets;

namespace SocketHub.TestSupport;

/// <summary>
/// The raw client over a real TCP socket, for what crosses the wire: limits, half-close, resets,
/// the original clients. It can connect from a chosen loopback address (Linux routes all of 127/8
/// to lo), play a client that stops reading (a small receive buffer), dribble bytes one at a time
/// and close with a reset.
/// </summary>
public sealed class TcpTestClient : RawClient
{
    private readonly Socket _socket;

    private TcpTestClient(Socket socket) => _socket = socket;

    /// <summary>127.0.0.<paramref name="n"/>: one more source address on the loopback interface.</summary>
    public static IPAddress Loopback(int n) => new([127, 0, 0, checked((byte)n)]);

    /// <summary>
    /// Connects to 127.0.0.1:<paramref name="port"/>, from <paramref name="source"/> if given, with a
    /// small kernel receive buffer if <paramref name="receiveBufferSize"/> is given.
    /// </summary>
    public static async Task<TcpTestClient> ConnectAsync(int port, IPAddress? source = null, int? receiveBufferSize = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (receiveBufferSize is { } size)
            {
                socket.ReceiveBufferSize = size;
            }

            if (source is not null)
            {
                socket.Bind(new IPEndPoint(source, 0));
            }

            using var timeout = new CancellationTokenSource(Deadline);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
            return new TcpTestClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The client's own port (its source port, as the server sees it).</summary>
    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public override async Task SendAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        await _socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
    }

    /// <summary>Sends, but a server that has closed or reset meanwhile is not an error: it may hang up mid-flood.</summary>
    protected override bool IsSendFailure(Exception e) => e is SocketException;

    public override void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);


    /// <summary>Closes with a TCP reset (SO_LINGER 0) instead of a FIN: a client that crashes or is killed.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(enable: true, seconds: 0);
        _socket.Close();
    }

    public override ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    protected override bool IsReset(Exception e) =>
        e is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted };
}
