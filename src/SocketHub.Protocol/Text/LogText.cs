using System.Text;

namespace SocketHub.Protocol.Text;

/// <summary>
/// Makes client-supplied text safe to log: control characters could forge log lines or move a
/// terminal's cursor, and a client could send megabytes. Bounded and single-line.
/// </summary>
public static class LogText
{
    public const int DefaultMaxLength = 120;

    public static string Sanitize(string? text, int maxLength = DefaultMaxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            if (sb.Length >= maxLength)
            {
                return sb.Append('…').ToString();
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category is System.Globalization.UnicodeCategory.Control
                or System.Globalization.UnicodeCategory.Format
                or System.Globalization.UnicodeCategory.LineSeparator
                or System.Globalization.UnicodeCategory.ParagraphSeparator)
            {
                sb.Append(rune.Value <= 0xFF ? $"\\x{rune.Value:x2}" : $"\\u{rune.Value:x4}");
            }
            else
            {
                sb.Append(rune.ToString());
            }
        }

        return sb.ToString();
    }

    /// <summary>Sanitizes raw bytes that may not be valid UTF-8 (invalid sequences become U+FFFD).</summary>
    public static string Sanitize(ReadOnlySpan<byte> bytes, int maxLength = DefaultMaxLength) =>
        Sanitize(Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, maxLength * 4)]), maxLength);
}
