using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SocketHub.Server.Tests.Infrastructure;

/// <summary>
/// A raw TCP client like a student's: send bytes, read what comes back. Every read has a
/// generous deadline so a broken server fails the test instead of hanging it.
/// </summary>
public sealed class TcpTestClient : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly Socket _socket;
    private readonly List<byte> _received = [];

    private TcpTestClient(Socket socket) => _socket = socket;

    public static Task<TcpTestClient> ConnectAsync(int port) => ConnectAsync(port, receiveBufferSize: null);

    /// <summary>Connects with a small kernel receive buffer, to play a client that stops reading.</summary>
    public static async Task<TcpTestClient> ConnectAsync(int port, int? receiveBufferSize)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferSize is { } size)
        {
            socket.ReceiveBufferSize = size;
        }

        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return new TcpTestClient(socket);
    }

    /// <summary>The client's own port (its source port, as the server sees it).</summary>
    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        await _socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
    }

    /// <summary>Half-closes: the server sees end-of-stream, we can still read.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Reads until <paramref name="count"/> replies ending in <paramref name="terminator"/> have arrived.</summary>
    public async Task<string> ReadRepliesAsync(int count, char terminator = '%')
    {
        while (Encoding.UTF8.GetString([.. _received]).Count(c => c == terminator) < count)
        {
            if (!await ReceiveSomeAsync())
            {
                throw new IOException($"Server closed after: {Encoding.UTF8.GetString([.. _received])}");
            }
        }

        return Take();
    }

    /// <summary>Reads up to and including the first <paramref name="end"/>; what follows stays for the next read.</summary>
    public async Task<string> ReadUntilAsync(string end)
    {
        while (true)
        {
            var text = Encoding.UTF8.GetString([.. _received]);
            var at = text.IndexOf(end, StringComparison.Ordinal);
            if (at >= 0)
            {
                var taken = text[..(at + end.Length)];
                _received.RemoveRange(0, Encoding.UTF8.GetByteCount(taken));
                return taken;
            }

            if (!await ReceiveSomeAsync())
            {
                throw new IOException($"Server closed before '{end}' after: {text}");
            }
        }
    }

    /// <summary>One line, without its <c>\n</c>; what follows stays for the next read.</summary>
    public async Task<string> ReadLineAsync() => (await ReadUntilAsync("\n"))[..^1];

    /// <summary>Reads everything until the server closes the connection.</summary>
    public async Task<string> ReadToEndAsync()
    {
        while (await ReceiveSomeAsync())
        {
        }

        return Take();
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        await Task.CompletedTask;
    }

    private string Take()
    {
        var text = Encoding.UTF8.GetString([.. _received]);
        _received.Clear();
        return text;
    }

    private async Task<bool> ReceiveSomeAsync()
    {
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(Deadline);
        var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        _received.AddRange(buffer.AsSpan(0, read));
        return read > 0;
    }
}
