using System.Text;
using System.Text.Unicode;

namespace SocketHub.Protocol.Text;

/// <summary>UTF-8 decoding that refuses malformed input instead of replacing it with U+FFFD.</summary>
public static class StrictUtf8
{
    /// <summary>Decodes a whole frame; false when it is not valid UTF-8.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out string text)
    {
        if (!Utf8.IsValid(bytes))
        {
            text = string.Empty;
            return false;
        }

        text = Encoding.UTF8.GetString(bytes);
        return true;
    }
}
