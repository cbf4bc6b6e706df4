using System.Buffers;
using System.Text;

namespace SocketHub.Protocol.Crypto;

/// <summary>The crypto dialect's replies: <c>#op#payload#</c> and a line feed.</summary>
public static class CryptoReplies
{
    public const string InvalidToken = "invalid token";
    public const string UnknownOperation = "unknown operation";
    public const string MalformedRequest = "malformed request";
    public const string RequestTooLarge = "request too large";
    public const string TextTooLarge = "text too large";
    public const string InvalidEncoding = "invalid encoding";
    public const string IdleTimeout = "idle timeout";

    public static byte[] Encrypted(string token) => Reply("en", token);

    public static byte[] Decrypted(string text) => Reply("de", text);

    public static byte[] Key(string key) => Reply("gk", key);

    public static byte[] Error(string reason) => Reply("er", reason);

    /// <summary>An error reply as text, for the reason lines every dialect shares.</summary>
    public static string ErrorLine(string reason) => $"#er#{reason}#\n";

    /// <summary>An error reply carrying <paramref name="reason"/>.</summary>
    public static CryptoReply ErrorReply(string reason) => new("er", reason);

    /// <summary>
    /// Writes <c>#op#payload#\n</c> straight into <paramref name="output"/>: the payload is
    /// encoded once, into the output's own memory.
    /// </summary>
    public static void Write(CryptoReply reply, IBufferWriter<byte> output)
    {
        var operation = reply.Operation;
        var head = output.GetSpan(4);
        head[0] = (byte)'#';
        head[1] = (byte)operation[0];
        head[2] = (byte)operation[1];
        head[3] = (byte)'#';
        output.Advance(4);
        Encoding.UTF8.GetBytes(reply.Payload, output);
        output.Write("#\n"u8);
    }

    private static byte[] Reply(string operation, string payload)
    {
        var bytes = new ArrayBufferWriter<byte>(4 + Encoding.UTF8.GetByteCount(payload) + 2);
        Write(new CryptoReply(operation, payload), bytes);
        return bytes.WrittenSpan.ToArray();
    }
}
