using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using SocketHub.Protocol.Framing;
using SocketHub.Protocol.Text;

namespace SocketHub.Client.Net;

/// <summary>
/// One TCP connection to a dialect: writes request text, reads the server's replies, and turns
/// socket failures into <see cref="ClientException"/>s with a clear sentence. Replies are read
/// with the dialect's reply framing (<c>BoardFraming.Replies</c>, <c>CryptoFraming.Replies</c>,
/// ...), never with the framing the server reads requests with: a reply can be far longer than
/// any request (a board list holds a hundred messages), and may end differently. With TLS the
/// same requests and replies travel inside it (<see cref="ClientTls"/> decides whom to trust).
/// </summary>
public sealed class FramedConnection : IAsyncDisposable
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly IFrameDecoder? _decoder;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly string _endpoint;
    private int _start;
    private int _end;
    private bool _eof;

    private FramedConnection(Socket socket, Stream stream, IFrameDecoder? decoder, string endpoint)
    {
        _socket = socket;
        _stream = stream;
        _decoder = decoder;
        _endpoint = endpoint;
    }

    public string Endpoint => _endpoint;

    /// <summary>Connects and reads reply frames with <paramref name="replies"/>, the dialect's reply framing.</summary>
    public static Task<FramedConnection> ConnectAsync(ServerAddress server, FrameOptions replies, CancellationToken ct) =>
        ConnectAsync(server, new FrameDecoder(replies), ct);

    /// <summary>Connects and reads reply frames with <paramref name="decoder"/> (the chat JSON port's reads whole JSON objects).</summary>
    public static Task<FramedConnection> ConnectAsync(ServerAddress server, IFrameDecoder decoder, CancellationToken ct) =>
        ConnectCoreAsync(server, decoder, ct);

    /// <summary>
    /// Connects for a reply that is not framed but runs until the server closes (the history's;
    /// read it with <see cref="ReadToEndAsync"/>), or only to see that the port answers.
    /// </summary>
    public static Task<FramedConnection> ConnectAsync(ServerAddress server, CancellationToken ct) =>
        ConnectCoreAsync(server, null, ct);

    private static async Task<FramedConnection> ConnectCoreAsync(ServerAddress server, IFrameDecoder? decoder, CancellationToken ct)
    {
        var endpoint = server.ToString();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(server.Host, server.Port, timeout.Token);
            var stream = server.Tls is { } tls
                ? await HandshakeAsync(socket, server.Host, tls, endpoint, timeout.Token)
                : new NetworkStream(socket, ownsSocket: false);
            return new FramedConnection(socket, stream, decoder, endpoint);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            socket.Dispose();
            var reason = e is SocketException se ? Describe(se)
                : e is IOException { InnerException: SocketException inner } ? Describe(inner)
                : e is IOException io ? $"the TLS handshake failed ({io.Message}; is this the dialect's TLS port?)"
                : $"no answer within {ConnectTimeout.TotalSeconds:0} s";
            throw new ClientException(ExitCodes.CannotConnect, $"cannot connect to {endpoint}: {reason}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>TLS 1.2 or 1.3 for the host's name, trusting what <paramref name="tls"/> says; a refused certificate says why.</summary>
    private static async Task<Stream> HandshakeAsync(Socket socket, string host, ClientTls tls, string endpoint, CancellationToken ct)
    {
        var problem = string.Empty;
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false,
            (_, certificate, _, errors) => tls.Accepts(certificate, errors, out problem));
        try
        {
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = host, EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 }, ct);
            return ssl;
        }
        catch (AuthenticationException e) when (problem.Length > 0)
        {
            await ssl.DisposeAsync();
            throw new ClientException(ExitCodes.CannotConnect, $"refused {endpoint}: {problem}", e);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }

    /// <summary>Wraps an accepted or connected socket (peer-to-peer chat, always plain).</summary>
    public static FramedConnection FromSocket(Socket socket, IFrameDecoder decoder, string endpoint) =>
        new(socket, new NetworkStream(socket, ownsSocket: false), decoder, endpoint);

    public async Task SendAsync(string text, CancellationToken ct)
    {
        try
        {
            await _stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
            await _stream.FlushAsync(ct);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            throw Lost(e);
        }
    }

    /// <summary>Half-closes our side: the server knows no more requests come (with TLS, its close_notify first).</summary>
    public async Task ShutdownSendAsync()
    {
        try
        {
            if (_stream is SslStream ssl)
            {
                await ssl.ShutdownAsync();
            }

            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
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
                read = await _stream.ReadAsync(_buffer, deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new ClientException(ExitCodes.Failure, $"{_endpoint} did not answer within {(timeout ?? ReplyTimeout).TotalSeconds:0} s");
            }
            catch (Exception e) when (e is SocketException or IOException)
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
                var read = await _stream.ReadAsync(_buffer, deadline.Token);
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
        catch (Exception e) when (e is SocketException or IOException)
        {
            throw Lost(e);
        }

        return Decode(all.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }

    private string Decode(ReadOnlySpan<byte> bytes) =>
        StrictUtf8.TryDecode(bytes, out var text)
            ? text
            : throw new ClientException(ExitCodes.Failure, $"{_endpoint} sent a reply that is not UTF-8");

    private ClientException TooLarge() => new(ExitCodes.Failure, $"{_endpoint} sent a reply larger than expected");

    private ClientException Lost(Exception e)
    {
        var socket = e as SocketException ?? e.InnerException as SocketException;
        return new(ExitCodes.CannotConnect, $"connection to {_endpoint} lost: {(socket is null ? e.Message : Describe(socket))}", e);
    }

    private static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused (is the server running, and on this port?)",
        SocketError.HostNotFound or SocketError.NoData => "unknown host",
        SocketError.TimedOut => "timed out",
        SocketError.ConnectionReset => "the server reset the connection",
        _ => e.Message,
    };
}
