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

    private static byte[] Reply(string operation, string payload)
    {
        var bytes = new byte[4 + Encoding.UTF8.GetByteCount(payload) + 2];
        bytes[0] = (byte)'#';
        bytes[1] = (byte)operation[0];
        bytes[2] = (byte)operation[1];
        bytes[3] = (byte)'#';
        Encoding.UTF8.GetBytes(payload, bytes.AsSpan(4));
        bytes[^2] = (byte)'#';
        bytes[^1] = (byte)'\n';
        return bytes;
    }
}
