using System.Globalization;
using System.Text;

namespace SocketHub.Protocol.History;

/// <summary>
/// Reads a word the way Python's <c>int(str)</c> does, because the original server turned the
/// line number into a number with <c>int()</c> and acted on whatever it accepted: an optional
/// <c>+</c> or <c>-</c>, then decimal digits of any script (<c>٣</c> is 3), with single
/// underscores allowed between digits (<c>1_0</c> is 10).
/// </summary>
public static class PythonInt
{
    /// <summary>
    /// False when Python's <c>int()</c> would raise. Otherwise the value, clamped to the range of
    /// <see cref="long"/> (a line number that large names no line either way).
    /// </summary>
    public static bool TryParse(string text, out long value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = 0;
        var rest = text.AsSpan();
        var negative = false;
        if (!rest.IsEmpty && rest[0] is '+' or '-')
        {
            negative = rest[0] == '-';
            rest = rest[1..];
        }

        var magnitude = 0L;
        var digits = 0;
        var afterUnderscore = false;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            rest = rest[consumed..];
            if (rune.Value == '_')
            {
                // Only between two digits, and never two in a row.
                if (digits == 0 || afterUnderscore)
                {
                    return false;
                }

                afterUnderscore = true;
                continue;
            }

            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.DecimalDigitNumber)
            {
                return false;
            }

            var digit = (int)Rune.GetNumericValue(rune);
            magnitude = magnitude > (long.MaxValue - digit) / 10 ? long.MaxValue : (magnitude * 10) + digit;
            digits++;
            afterUnderscore = false;
        }

        if (digits == 0 || afterUnderscore)
        {
            return false;
        }

        value = negative ? -magnitude : magnitude;
        return true;
    }
}
