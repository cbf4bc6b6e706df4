using System.Buffers;
using System.Net.Sockets;
using System.Text;
using SocketHub.Protocol.Framing;
using SocketHub.Protocol.Text;

namespace SocketHub.Client.Net;

/// <summary>
/// One TCP connection to a dialect: writes request text, reads reply frames with the shared
/// <see cref="FrameDecoder"/> (the same framing the server reads with), and turns socket
/// failures into <see cref="ClientException"/>s with a clear sentence.
/// </summary>
public sealed class FramedConnection : IAsyncDisposable
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    private readonly Socket _socket;
    private readonly IFrameDecoder _decoder;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly string _endpoint;
    private int _start;
    private int _end;
    private bool _eof;

    private FramedConnection(Socket socket, IFrameDecoder decoder, string endpoint)
    {
        _socket = socket;
        _decoder = decoder;
        _endpoint = endpoint;
    }

    public string Endpoint => _endpoint;

    public static Task<FramedConnection> ConnectAsync(string host, int port, FrameOptions options, CancellationToken ct) =>
        ConnectAsync(host, port, new FrameDecoder(options), ct);

    /// <summary>Connects and reads frames with <paramref name="decoder"/> (the chat JSON port's reads whole JSON objects).</summary>
    public static async Task<FramedConnection> ConnectAsync(string host, int port, IFrameDecoder decoder, CancellationToken ct)
    {
        var endpoint = $"{host}:{port}";
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token);
            return new FramedConnection(socket, decoder, endpoint);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            socket.Dispose();
            var reason = e is SocketException se ? Describe(se) : $"no answer within {ConnectTimeout.TotalSeconds:0} s";
            throw new ClientException(ExitCodes.CannotConnect, $"cannot connect to {endpoint}: {reason}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Wraps an accepted or connected socket (peer-to-peer chat).</summary>
    public static FramedConnection FromSocket(Socket socket, IFrameDecoder decoder, string endpoint) => new(socket, decoder, endpoint);

    public async Task SendAsync(string text, CancellationToken ct)
    {
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), SocketFlags.None, ct);
        }
        catch (SocketException e)
        {
            throw Lost(e);
        }
    }

    /// <summary>Half-closes our side: the server knows no more requests come.</summary>
    public void ShutdownSend()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // Already gone: the read that follows reports it.
        }
    }

    /// <summary>The next frame as text (terminator removed); null when the server closed first.</summary>
    public async Task<string?> ReadFrameAsync(CancellationToken ct, TimeSpan? timeout = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            deadline.CancelAfter(timeout ?? ReplyTimeout);
        }

        while (true)
        {
            if (_start < _end)
            {
                var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(_buffer, _start, _end - _start));
                var status = _decoder.Decode(ref reader);
                _start += (int)reader.Consumed;
                if (status == FrameStatus.Frame)
                {
                    return Decode(_decoder.Frame.Span);
                }

                if (status == FrameStatus.TooLong)
                {
                    throw new ClientException(ExitCodes.Failure, $"{_endpoint} sent a reply larger than expected");
                }
            }

            if (_eof)
            {
                return null;
            }

            int read;
            try
            {
                read = await _socket.ReceiveAsync(_buffer, SocketFlags.None, deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new ClientException(ExitCodes.Failure, $"{_endpoint} did not answer within {(timeout ?? ReplyTimeout).TotalSeconds:0} s");
            }
            catch (SocketException e)
            {
                throw Lost(e);
            }

            _start = 0;
            _end = read;
            _eof = read == 0;
        }
    }

    /// <summary>Reads until the server closes (the history's one-reply life): everything it sent, as text.</summary>
    public async Task<string> ReadToEndAsync(CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(ReplyTimeout);
        using var all = new MemoryStream();
        all.Write(_buffer, _start, _end - _start);
        _start = _end = 0;
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(_buffer, SocketFlags.None, deadline.Token);
                if (read == 0)
                {
                    break;
                }

                all.Write(_buffer, 0, read);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ClientException(ExitCodes.Failure, $"{_endpoint} did not finish its reply within {ReplyTimeout.TotalSeconds:0} s");
        }
        catch (SocketException e)
        {
            throw Lost(e);
        }

        return Decode(all.ToArray());
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private string Decode(ReadOnlySpan<byte> bytes) =>
        StrictUtf8.TryDecode(bytes, out var text)
            ? text
            : throw new ClientException(ExitCodes.Failure, $"{_endpoint} sent a reply that is not UTF-8");

    private ClientException Lost(SocketException e) =>
        new(ExitCodes.CannotConnect, $"connection to {_endpoint} lost: {Describe(e)}", e);

    private static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused (is the server running, and on this port?)",
        SocketError.HostNotFound or SocketError.NoData => "unknown host",
        SocketError.TimedOut => "timed out",
        SocketError.ConnectionReset => "the server reset the connection",
        _ => e.Message,
    };
}
