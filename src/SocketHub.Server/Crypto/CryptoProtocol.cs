using System.Buffers;
using System.Text;
using SocketHub.Protocol.Crypto;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.Crypto;

/// <summary>A crypto reply: <c>#op#payload#</c> and a line feed, written straight into the output.</summary>
public readonly record struct CryptoAnswer(CryptoReply Reply) : IDialectReply
{
    public bool IsError => Reply.IsError;
}

/// <summary>
/// The crypto dialect's decisions: a <c>#op#payload#</c> request, answered on one line, repeat.
/// The connection stays open; a client that half-closes gets every reply, then the close.
/// Requests that are not text are refused in the dialect's format.
/// </summary>
public sealed class CryptoProtocol(
    CryptoSettings settings,
    CryptoKeyRing keys,
    CryptoStats crypto,
    TimeProvider time,
    ILogger<CryptoProtocol> logger) : DialectProtocol<string?, CryptoAnswer>
{
    public override DialectReading Reading { get; } = new(() => new Protocol.Framing.FrameDecoder(CryptoFraming.Requests), settings.IdleTimeout)
    {
        UnfinishedAtClose = UnfinishedAtClose.RequestIfAny,
        IgnoresEmptyFrames = true,
    };

    /// <summary>The request's text; null when it is not UTF-8.</summary>
    public override string? Read(in DialectFrame frame, DialectConnection connection) =>
        frame.TryGetText(out var text) ? text : null;

    public override ValueTask<CryptoAnswer> HandleAsync(string? text, DialectConnection connection) =>
        ValueTask.FromResult(new CryptoAnswer(Handle(text, connection.RemoteText)));

    public override void Write(in CryptoAnswer answer, IBufferWriter<byte> output) => CryptoReplies.Write(answer.Reply, output);

    public override CryptoAnswer TooLong(DialectConnection connection)
    {
        CryptoLog.TooLarge(logger, connection.RemoteText);
        return new CryptoAnswer(CryptoReplies.ErrorReply(CryptoReplies.RequestTooLarge));
    }

    public override CryptoAnswer TimedOut(DialectConnection connection) => new(CryptoReplies.ErrorReply(CryptoReplies.IdleTimeout));

    private CryptoReply Handle(string? text, string remote)
    {
        if (text is null)
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
                return new CryptoReply("en", Fernet.Encrypt(keys.Current, Encoding.UTF8.GetBytes(request.Payload), time.GetUtcNow()));
            case CryptoOperation.GetKey:
                crypto.KeyGiven();
                Log("gk", remote, "key given");
                return new CryptoReply("gk", keys.Current.Encode());
            default:
                return Decrypt(request.Payload, remote);
        }
    }

    private CryptoReply Decrypt(string token, string remote)
    {
        var error = Fernet.TryDecrypt(keys.All, token, time.GetUtcNow(), settings.TimeToLive, out var plaintext);
        if (error != FernetError.None)
        {
            crypto.TokenRefused();
            return Refuse(CryptoReplies.InvalidToken, "de", remote, error.ToString());
        }

        if (!Protocol.Text.StrictUtf8.TryDecode(plaintext, out var text))
        {
            crypto.UndecodableText();
            return Refuse(CryptoReplies.InvalidEncoding, "de", remote, "plaintext is not UTF-8");
        }

        crypto.Decryption();
        Log("de", remote, "decrypted");
        return new CryptoReply("de", text);
    }

    private CryptoReply Refuse(string reason, string operation, string remote, string? detail = null)
    {
        Log(operation, remote, detail ?? reason);
        return CryptoReplies.ErrorReply(reason);
    }

    private void Log(string operation, string remote, string outcome)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            CryptoLog.Handled(logger, operation, remote, outcome);
        }
    }
}
