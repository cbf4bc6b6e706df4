using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SocketHub.FaultTests;

/// <summary>How a connection ended, as the client saw it: what arrived before the close, and whether the close was a reset.</summary>
public sealed record Closed(string Text, bool Reset);

/// <summary>
/// A hostile client: connects from a chosen loopback address (Linux routes all of 127/8 to lo),
/// sends raw bytes, dribbles them one at a time, and reads until the server closes. Every wait
/// has a deadline so a server that never closes fails the test instead of hanging it.
/// </summary>
public sealed class Hostile : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly Socket _socket;
    private readonly List<byte> _received = [];

    private Hostile(Socket socket) => _socket = socket;

    /// <summary>127.0.0.<paramref name="n"/>: one more source address on the loopback interface.</summary>
    public static IPAddress Loopback(int n) => new([127, 0, 0, checked((byte)n)]);

    public static async Task<Hostile> ConnectAsync(int port, IPAddress? source = null, int? receiveBufferSize = null)
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
            return new Hostile(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        await _socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
    }

    /// <summary>Sends, but a server that has closed or reset meanwhile is not an error: it may hang up mid-flood.</summary>
    public async Task<bool> TrySendAsync(byte[] bytes)
    {
        try
        {
            await SendAsync(bytes);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

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

            if (await ReceiveSomeAsync() == 0)
            {
                throw new IOException($"Server closed before '{end}' after: {text}");
            }
        }
    }

    public async Task<string> ReadLineAsync() => (await ReadUntilAsync("\n"))[..^1];

    /// <summary>Reads until the server closes; what arrived (since the last read) and how it closed.</summary>
    public async Task<Closed> ReadUntilClosedAsync()
    {
        try
        {
            while (await ReceiveSomeAsync() > 0)
            {
            }

            return new Closed(Take(), Reset: false);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return new Closed(Take(), Reset: true);
        }
    }

    /// <summary>
    /// Slowloris: sends <paramref name="bytes"/> one byte every <paramref name="pace"/>, then its
    /// last byte again and again (never a terminator, so never a complete frame; cycling could
    /// complete one, as in crypto's <c>#en#x#</c>) until the server closes the connection; returns
    /// what the server said. Fails after <see cref="Deadline"/> if the server keeps it open.
    /// </summary>
    public async Task<Closed> DribbleUntilClosedAsync(byte[] bytes, TimeSpan pace)
    {
        var closed = ReadUntilClosedAsync();
        using var stop = new CancellationTokenSource();
        var dribble = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                if (!await TrySendAsync([bytes[Math.Min(i, bytes.Length - 1)]]))
                {
                    return;
                }

                await Task.Delay(pace, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });

        try
        {
            return await closed.WaitAsync(Deadline);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The server kept a connection open for {Deadline} while it sent one byte every {pace.TotalSeconds} s and never a whole frame.");
        }
        finally
        {
            await stop.CancelAsync();
            await dribble;
        }
    }

    /// <summary>Closes with a TCP reset (SO_LINGER 0) instead of a FIN: a client that crashes or is killed.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(enable: true, seconds: 0);
        _socket.Close();
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private string Take()
    {
        var text = Encoding.UTF8.GetString([.. _received]);
        _received.Clear();
        return text;
    }

    private async Task<int> ReceiveSomeAsync()
    {
        var buffer = new byte[16384];
        using var timeout = new CancellationTokenSource(Deadline);
        var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        _received.AddRange(buffer.AsSpan(0, read));
        return read;
    }
}
