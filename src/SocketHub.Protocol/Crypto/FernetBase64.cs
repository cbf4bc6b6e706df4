using System.Buffers;
using System.Buffers.Text;

namespace SocketHub.Protocol.Crypto;

/// <summary>
/// URL-safe base64 as Fernet uses it: written with <c>=</c> padding (as Python's
/// <c>urlsafe_b64encode</c> does), read with or without it. Only the 64 URL-safe characters
/// and trailing padding are accepted; whitespace, <c>+</c> and <c>/</c> are not, and neither are
/// encodings whose last character carries stray bits (no encoder writes those).
/// </summary>
internal static class FernetBase64
{
    /// <summary>Padded URL-safe base64, written straight into the one string it returns.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var length = (bytes.Length + 2) / 3 * 4;
        if (length <= 512)
        {
            Span<char> chars = stackalloc char[length];
            return EncodeVia(bytes, chars);
        }

        var rented = ArrayPool<char>.Shared.Rent(length);
        try
        {
            return EncodeVia(bytes, rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static string EncodeVia(ReadOnlySpan<byte> bytes, Span<char> chars)
    {
        // Base64Url writes no padding; Fernet tokens and keys carry it.
        var written = Base64Url.EncodeToChars(bytes, chars);
        chars[written..].Fill('=');
        return new string(chars);
    }

    /// <summary>At most how many bytes <paramref name="text"/> decodes to.</summary>
    public static int MaxDecodedLength(ReadOnlySpan<char> text) => Base64Url.GetMaxDecodedLength(text.Length);

    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        var buffer = new byte[MaxDecodedLength(text)];
        if (!TryDecode(text, buffer, out var written))
        {
            return false;
        }

        bytes = written == buffer.Length ? buffer : buffer[..written];
        return true;
    }

    /// <summary>Decodes into <paramref name="destination"/> (at least <see cref="MaxDecodedLength"/> bytes).</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        var data = text.TrimEnd('=');
        var padding = text.Length - data.Length;
        if (data.IsEmpty || padding > 2 || (padding > 0 && (data.Length + padding) % 4 != 0) || data.Length % 4 == 1)
        {
            return false;
        }

        foreach (var c in data)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        // The OperationStatus form: TryDecodeFromChars throws on non-canonical trailing bits.
        return Base64Url.DecodeFromChars(data, destination, out _, out written) == OperationStatus.Done;
    }
}
