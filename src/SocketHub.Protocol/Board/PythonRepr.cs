using System.Buffers;
using System.Globalization;
using System.Text;

namespace SocketHub.Protocol.Board;

/// <summary>
/// Writes text exactly as CPython 3's <c>repr()</c> does, because clients of the message board
/// dialect parse replies with <c>ast.literal_eval</c> and compare them with Python-made output.
/// </summary>
public static class PythonRepr
{
    /// <summary>Appends CPython's <c>repr(text)</c>, quotes included.</summary>
    public static void AppendString(StringBuilder sb, string text)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(text);

        // CPython only switches to double quotes when that avoids escaping: a text holding
        // both kinds keeps single quotes and escapes them.
        char quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal)
            ? '"'
            : '\'';
        sb.Append(quote);

        ReadOnlySpan<char> rest = text;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out Rune rune, out int consumed) != OperationStatus.Done)
            {
                // A lone surrogate: Python holds it as its own code point and writes it as \udXXX.
                AppendEscape(sb, rest[0]);
                rest = rest[1..];
                continue;
            }

            ReadOnlySpan<char> original = rest[..consumed];
            rest = rest[consumed..];
            int value = rune.Value;
            if (value == quote || value == '\\')
            {
                sb.Append('\\').Append((char)value);
            }
            else if (value == '\t')
            {
                sb.Append("\\t");
            }
            else if (value == '\n')
            {
                sb.Append("\\n");
            }
            else if (value == '\r')
            {
                sb.Append("\\r");
            }
            else if (IsPrintable(rune))
            {
                sb.Append(original);
            }
            else
            {
                AppendEscape(sb, value);
            }
        }

        sb.Append(quote);
    }

    /// <summary>
    /// Formats CPython's <c>repr()</c> of a list of <c>(int, str)</c> tuples, e.g.
    /// <c>[(1, 'Server has Started'), (2, 'hi')]</c>.
    /// </summary>
    public static string FormatMessageList(IReadOnlyList<(long Id, string Text)> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);

        var sb = new StringBuilder();
        sb.Append('[');
        for (int i = 0; i < messages.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            (long id, string text) = messages[i];
            sb.Append(CultureInfo.InvariantCulture, $"({id}, ");
            AppendString(sb, text);
            sb.Append(')');
        }

        sb.Append(']');
        return sb.ToString();
    }

    // Mirrors str.isprintable: every "Other" and "Separator" category is non-printable, and
    // only the ASCII space is exempt (so U+00A0 and other spaces get escaped).
    private static bool IsPrintable(Rune rune)
    {
        if (rune.IsAscii)
        {
            return rune.Value >= 0x20 && rune.Value != 0x7f;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control
                or UnicodeCategory.Format
                or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
    }

    // Python picks the shortest of its three escape widths that fits the code point.
    private static void AppendEscape(StringBuilder sb, int value)
    {
        if (value < 0x100)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\\x{value:x2}");
        }
        else if (value < 0x10000)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\\u{value:x4}");
        }
        else
        {
            sb.Append(CultureInfo.InvariantCulture, $"\\U{value:x8}");
        }
    }
}
