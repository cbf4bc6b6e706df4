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
    public static string Encode(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
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

        var buffer = new byte[Base64Url.GetMaxDecodedLength(data.Length)];
        // The OperationStatus form: TryDecodeFromChars throws on non-canonical trailing bits.
        if (Base64Url.DecodeFromChars(data, buffer, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        bytes = written == buffer.Length ? buffer : buffer[..written];
        return true;
    }
}
