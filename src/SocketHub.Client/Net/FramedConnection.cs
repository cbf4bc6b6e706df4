using System.Buffers;
using System.Net.Sockets;
using System.Text;
using SocketHub.Protocol.Framing;
using SocketHub.Protocol.Text;

namespace SocketHub.Client.Net;

/// <summary>
/// One TCP connection to a dialect: writes request text, reads the server's replies, and turns
/// socket failures into <see cref="ClientException"/>s with a clear sentence. Replies are read
/// with the dialect's reply framing (<c>BoardFraming.Replies</c>, <c>CryptoFraming.Replies</c>,
/// ...), never with the framing the server reads requests with: a reply can be far longer than
/// any request (a board list holds a hundred messages), and may end differently.
/// </summary>
public sealed class FramedConnection : IAsyncDisposable
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    private readonly Socket _socket;
    private readonly IFrameDecoder? _decoder;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly string _endpoint;
    private int _start;
    private int _end;
    private bool _eof;

    private FramedConnection(Socket socket, IFrameDecoder? decoder, string endpoint)
    {
        _socket = socket;
        _decoder = decoder;
        _endpoint = endpoint;
    }

    public string Endpoint => _endpoint;

    /// <summary>Connects and reads reply frames with <paramref name="replies"/>, the dialect's reply framing.</summary>
    public static Task<FramedConnection> ConnectAsync(string host, int port, FrameOptions replies, CancellationToken ct) =>
        ConnectAsync(host, port, new FrameDecoder(replies), ct);

    /// <summary>Connects and reads reply frames with <paramref name="decoder"/> (the chat JSON port's reads whole JSON objects).</summary>
    public static Task<FramedConnection> ConnectAsync(string host, int port, IFrameDecoder decoder, CancellationToken ct) =>
        ConnectCoreAsync(host, port, decoder, ct);

    /// <summary>
    /// Connects for a reply that is not framed but runs until the server closes (the history's;
    /// read it with <see cref="ReadToEndAsync"/>), or only to see that the port answers.
    /// </summary>
    public static Task<FramedConnection> ConnectAsync(string host, int port, CancellationToken ct) =>
        ConnectCoreAsync(host, port, null, ct);

    private static async Task<FramedConnection> ConnectCoreAsync(string host, int port, IFrameDecoder? decoder, CancellationToken ct)
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
        var decoder = _decoder ?? throw new InvalidOperationException("This connection was opened without a reply framing.");
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
                var status = decoder.Decode(ref reader);
                _start += (int)reader.Consumed;
                if (status == FrameStatus.Frame)
                {
                    return Decode(decoder.Frame.Span);
                }

                if (status == FrameStatus.TooLong)
                {
                    throw TooLarge();
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

    /// <summary>
    /// Reads until the server closes (the history's one-reply life): everything it sent, as text.
    /// More than <paramref name="maxBytes"/> is no reply of the dialect's.
    /// </summary>
    public async Task<string> ReadToEndAsync(int maxBytes, CancellationToken ct)
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

                if (all.Length + read > maxBytes)
                {
                    throw TooLarge();
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

    private ClientException TooLarge() => new(ExitCodes.Failure, $"{_endpoint} sent a reply larger than expected");

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
