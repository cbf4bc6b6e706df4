using System.Globalization;
using System.Text;

namespace SocketHub.Protocol.Board;

/// <summary>
/// Reads back what <see cref="PythonRepr"/> writes: the board's <c>[(1, 'text'), ...]</c> list, the
/// subset of Python's literal syntax (<c>ast.literal_eval</c>) that a board reply can hold. A client
/// needs it; the server never did.
/// </summary>
public static class PythonLiteral
{
    /// <summary>
    /// Parses a list of <c>(int, str)</c> tuples. False when the text is not such a list (the reply
    /// is then something the client did not expect).
    /// </summary>
    public static bool TryParseMessageList(string text, out IReadOnlyList<(long Id, string Text)> messages)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<(long, string)>();
        messages = list;
        var reader = new Reader(text);
        if (!reader.Take('['))
        {
            return false;
        }

        reader.SkipSpaces();
        if (reader.Take(']'))
        {
            return reader.AtEnd;
        }

        while (true)
        {
            reader.SkipSpaces();
            if (!reader.Take('(') || !reader.TryInteger(out var id) || !reader.Take(','))
            {
                return false;
            }

            reader.SkipSpaces();
            if (!reader.TryString(out var message))
            {
                return false;
            }

            reader.SkipSpaces();
            if (!reader.Take(')'))
            {
                return false;
            }

            list.Add((id, message));
            reader.SkipSpaces();
            if (reader.Take(']'))
            {
                return reader.AtEnd;
            }

            if (!reader.Take(','))
            {
                return false;
            }
        }
    }

    /// <summary>Parses one Python string literal (<c>'...'</c> or <c>"..."</c>) that makes up the whole text.</summary>
    public static bool TryParseString(string text, out string value)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new Reader(text);
        return reader.TryString(out value) && reader.AtEnd;
    }

    private ref struct Reader(string text)
    {
        private int _at;

        public readonly bool AtEnd => _at == text.Length;

        public bool Take(char c)
        {
            if (_at < text.Length && text[_at] == c)
            {
                _at++;
                return true;
            }

            return false;
        }

        public void SkipSpaces()
        {
            while (_at < text.Length && text[_at] == ' ')
            {
                _at++;
            }
        }

        public bool TryInteger(out long value)
        {
            var start = _at;
            while (_at < text.Length && char.IsAsciiDigit(text[_at]))
            {
                _at++;
            }

            return long.TryParse(text.AsSpan(start, _at - start), NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        public bool TryString(out string value)
        {
            value = string.Empty;
            if (_at >= text.Length || text[_at] is not ('\'' or '"'))
            {
                return false;
            }

            var quote = text[_at++];
            var sb = new StringBuilder();
            while (_at < text.Length)
            {
                var c = text[_at++];
                if (c == quote)
                {
                    value = sb.ToString();
                    return true;
                }

                if (c is '\n' or '\r')
                {
                    return false; // a single-quoted Python string cannot span lines
                }

                if (c != '\\')
                {
                    sb.Append(c);
                    continue;
                }

                if (_at >= text.Length || !TryEscape(sb))
                {
                    return false;
                }
            }

            return false;
        }

        private bool TryEscape(StringBuilder sb)
        {
            var c = text[_at++];
            switch (c)
            {
                case '\\' or '\'' or '"':
                    sb.Append(c);
                    return true;
                case 't':
                    sb.Append('\t');
                    return true;
                case 'n':
                    sb.Append('\n');
                    return true;
                case 'r':
                    sb.Append('\r');
                    return true;
                case 'a':
                    sb.Append('\a');
                    return true;
                case 'b':
                    sb.Append('\b');
                    return true;
                case 'f':
                    sb.Append('\f');
                    return true;
                case 'v':
                    sb.Append('\v');
                    return true;
                case 'x':
                    return TryHex(sb, 2);
                case 'u':
                    return TryHex(sb, 4);
                case 'U':
                    return TryHex(sb, 8);
                default:
                    return false; // Python's repr writes no other escape
            }
        }

        private bool TryHex(StringBuilder sb, int digits)
        {
            if (_at + digits > text.Length
                || !int.TryParse(text.AsSpan(_at, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            _at += digits;
            if (value is >= 0xD800 and <= 0xDFFF)
            {
                sb.Append((char)value); // a lone surrogate, as PythonRepr writes one
                return true;
            }

            if (!Rune.IsValid(value))
            {
                return false;
            }

            sb.Append(new Rune(value).ToString());
            return true;
        }
    }
}
