using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using SocketHub.Protocol.Crypto;
using SocketHub.Protocol.Text;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Crypto;

/// <summary>
/// One crypto connection: read a <c>#op#payload#</c> request, answer it on one line, repeat.
/// The connection stays open; a client that half-closes gets every reply, then the close.
/// </summary>
public sealed class CryptoConnectionHandler(
    CryptoSettings settings,
    CryptoKeyRing keys,
    CryptoStats crypto,
    ServerStats stats,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<CryptoConnectionHandler> logger) : ConnectionHandler
{
    /// <summary>How long an over-long sender may keep sending after its error before we close.</summary>
    private static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);

    private readonly DialectStats _stats = stats.For(CryptoDialect.Info);

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var remote = RemoteAddress.Of(connection).ToString();
        var output = connection.Transport.Output;
        using var reader = new FrameReader(
            connection.Transport.Input, CryptoFraming.Options, settings.IdleTimeout, time, lifetime.ApplicationStopping);

        while (true)
        {
            switch (await reader.ReadAsync())
            {
                case ReadOutcome.Frame when reader.Frame.IsEmpty:
                    // An empty line is no request (Enter pressed twice); nothing to answer.
                    break;
                case ReadOutcome.Frame:
                    await output.WriteAsync(Handle(reader.Frame.Span, remote));
                    break;
                case ReadOutcome.TooLong:
                    CryptoLog.TooLarge(logger, remote);
                    await ErrorAsync(output, CryptoReplies.RequestTooLarge);
                    await reader.DiscardUntilClosedAsync(LingerTimeout);
                    return;
                case ReadOutcome.TimedOut:
                    await ErrorAsync(output, CryptoReplies.IdleTimeout);
                    return;
                case ReadOutcome.Closed when !reader.Pending.IsEmpty:
                    // End of stream ends the last request too: it gets its (error) reply.
                    await output.WriteAsync(Handle(reader.Pending.Span, remote));
                    return;
                default:
                    return;
            }
        }
    }

    private byte[] Handle(ReadOnlySpan<byte> frame, string remote)
    {
        _stats.RequestHandled();
        if (!StrictUtf8.TryDecode(frame, out var text))
        {
            return Refuse(CryptoReplies.InvalidEncoding, "request", remote);
        }

        var request = CryptoRequest.Parse(text);
        switch (request.Status)
        {
            case CryptoRequestStatus.Malformed:
                return Refuse(CryptoReplies.MalformedRequest, "request", remote);
            case CryptoRequestStatus.UnknownOperation:
                return Refuse(CryptoReplies.UnknownOperation, "request", remote);
        }

        switch (request.Operation)
        {
            case CryptoOperation.Encrypt when Encoding.UTF8.GetByteCount(request.Payload) > CryptoFraming.MaxTextBytes:
                // The request may be longer than the text allows: it must fit a token's length.
                return Refuse(CryptoReplies.TextTooLarge, "en", remote);
            case CryptoOperation.Encrypt:
                crypto.Encryption();
                Log("en", remote, "encrypted");
                return CryptoReplies.Encrypted(Fernet.Encrypt(keys.Current, Encoding.UTF8.GetBytes(request.Payload), time.GetUtcNow()));
            case CryptoOperation.GetKey:
                crypto.KeyGiven();
                Log("gk", remote, "key given");
                return CryptoReplies.Key(keys.Current.Encode());
            default:
                return Decrypt(request.Payload, remote);
        }
    }

    private byte[] Decrypt(string token, string remote)
    {
        var error = Fernet.TryDecrypt(keys.All, token, time.GetUtcNow(), settings.TimeToLive, out var plaintext);
        if (error != FernetError.None)
        {
            crypto.TokenRefused();
            return Refuse(CryptoReplies.InvalidToken, "de", remote, error.ToString());
        }

        if (!StrictUtf8.TryDecode(plaintext, out var text))
        {
            crypto.UndecodableText();
            return Refuse(CryptoReplies.InvalidEncoding, "de", remote, "plaintext is not UTF-8");
        }

        crypto.Decryption();
        Log("de", remote, "decrypted");
        return CryptoReplies.Decrypted(text);
    }

    private byte[] Refuse(string reason, string operation, string remote, string? detail = null)
    {
        _stats.ErrorReplied();
        Log(operation, remote, detail ?? reason);
        return CryptoReplies.Error(reason);
    }

    private void Log(string operation, string remote, string outcome)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            CryptoLog.Handled(logger, operation, remote, outcome);
        }
    }

    private async Task ErrorAsync(PipeWriter output, string reason)
    {
        _stats.ErrorReplied();
        await output.WriteAsync(CryptoReplies.Error(reason));
    }
}
