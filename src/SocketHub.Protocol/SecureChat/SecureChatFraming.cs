using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace SocketHub.Protocol.SecureChat;

/// <summary>How a frame's 64-byte header writes the payload length.</summary>
public enum SecureChatHeader
{
    /// <summary>ASCII decimal, padded with spaces (<c>"451"</c> + 61 spaces): the frames sent in clear (login lines, the welcome, PEM keys).</summary>
    Clear,

    /// <summary>
    /// The base64 of the ASCII decimal, padded with spaces (<c>"MzQ0"</c> + 60 spaces for 344):
    /// every encrypted message. The original encodes the header with the payload's own encoder
    /// (<c>message_encode(encoder=base64encoder)</c>) and decodes it with the payload's decoder.
    /// </summary>
    Base64,
}

/// <summary>
/// The secure chat's framing: every message is a 64-byte header holding the payload's length,
/// then the payload. Writing is here; reading is <see cref="SecureChatFrameDecoder"/>.
/// </summary>
public static class SecureChatFraming
{
    public const int HeaderSize = 64;

    /// <summary>
    /// The largest payload the server reads: a PEM public key of up to 4096 bits (about 800
    /// bytes), a login line, or one encrypted message (344 bytes of base64 for RSA-2048) fits.
    /// </summary>
    public const int DefaultMaxPayload = 1024;

    /// <summary>Writes one frame: the header for <paramref name="payload"/>'s length, then the payload.</summary>
    public static void Write(IBufferWriter<byte> to, ReadOnlySpan<byte> payload, SecureChatHeader header)
    {
        WriteHeader(to, payload.Length, header);
        to.Write(payload);
    }

    /// <summary>A clear frame holding <paramref name="text"/> in UTF-8 (login answers, the welcome, a PEM key).</summary>
    public static void WriteText(IBufferWriter<byte> to, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        WriteHeader(to, length, SecureChatHeader.Clear);
        Encoding.UTF8.GetBytes(text, to);
    }

    public static void WriteHeader(IBufferWriter<byte> to, int length, SecureChatHeader header)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var span = to.GetSpan(HeaderSize)[..HeaderSize];
        span.Fill((byte)' ');
        Span<byte> digits = stackalloc byte[16];
        var written = Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture), digits);
        if (header == SecureChatHeader.Base64)
        {
            // Base64 of at most 10 digits is at most 16 bytes: always fits the header.
            Base64.EncodeToUtf8(digits[..written], span, out _, out written);
        }
        else
        {
            digits[..written].CopyTo(span);
        }

        to.Advance(HeaderSize);
    }

    /// <summary>The header bytes for a payload of <paramref name="length"/> bytes.</summary>
    public static byte[] Header(int length, SecureChatHeader header)
    {
        var buffer = new ArrayBufferWriter<byte>(HeaderSize);
        WriteHeader(buffer, length, header);
        return buffer.WrittenSpan.ToArray();
    }
}
