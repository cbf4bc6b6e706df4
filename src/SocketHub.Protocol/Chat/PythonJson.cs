using System.Globalization;
using System.Text;

namespace SocketHub.Protocol.Chat;

/// <summary>
/// Writes JSON exactly as Python's <c>json.dumps</c> does with its defaults, which is what the
/// COMP3331 messenger's server sent: <c>", "</c> and <c>": "</c> between items, and every
/// character outside printable ASCII escaped (<c>\n</c>, <c>\u00e9</c>, a surrogate pair for
/// <c>😀</c>), so the bytes are pure ASCII and a byte count is a character count.
/// </summary>
public sealed class PythonJson
{
    private readonly StringBuilder _text = new(128);
    private bool _first = true;

    public int Length => _text.Length;

    public PythonJson StartObject() => Open('{');

    public PythonJson EndObject() => Close('}');

    public PythonJson StartArray() => Open('[');

    public PythonJson EndArray() => Close(']');

    /// <summary>A member name; its value follows.</summary>
    public PythonJson Name(string name)
    {
        Separator();
        WriteString(_text, name);
        _text.Append(": ");
        _first = true;
        return this;
    }

    public PythonJson StringValue(string value)
    {
        Separator();
        WriteString(_text, value);
        return this;
    }

    public PythonJson NumberValue(long value)
    {
        Separator();
        _text.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public PythonJson BoolValue(bool value)
    {
        Separator();
        _text.Append(value ? "true" : "false");
        return this;
    }

    public PythonJson Member(string name, string value) => Name(name).StringValue(value);

    public PythonJson Member(string name, IEnumerable<string> values)
    {
        Name(name).StartArray();
        foreach (var value in values)
        {
            StringValue(value);
        }

        return EndArray();
    }

    /// <summary>The text written, and <paramref name="end"/> after it.</summary>
    public byte[] ToBytes(string end = "")
    {
        var bytes = new byte[_text.Length + end.Length];
        for (var i = 0; i < _text.Length; i++)
        {
            bytes[i] = (byte)_text[i];
        }

        for (var i = 0; i < end.Length; i++)
        {
            bytes[_text.Length + i] = (byte)end[i];
        }

        return bytes;
    }

    public override string ToString() => _text.ToString();

    /// <summary>How many bytes <paramref name="value"/> takes once written as a JSON string, quotes included.</summary>
    public static int StringLength(string value)
    {
        var length = 2;
        foreach (var c in value)
        {
            length += c switch
            {
                '"' or '\\' or '\n' or '\r' or '\t' or '\b' or '\f' => 2,
                >= ' ' and <= '~' => 1,
                _ => 6,
            };
        }

        return length;
    }

    private PythonJson Open(char bracket)
    {
        Separator();
        _text.Append(bracket);
        _first = true;
        return this;
    }

    private PythonJson Close(char bracket)
    {
        _text.Append(bracket);
        _first = false;
        return this;
    }

    private void Separator()
    {
        if (!_first)
        {
            _text.Append(", ");
        }

        _first = false;
    }

    private static void WriteString(StringBuilder to, string value)
    {
        to.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    to.Append("\\\"");
                    break;
                case '\\':
                    to.Append("\\\\");
                    break;
                case '\n':
                    to.Append("\\n");
                    break;
                case '\r':
                    to.Append("\\r");
                    break;
                case '\t':
                    to.Append("\\t");
                    break;
                case '\b':
                    to.Append("\\b");
                    break;
                case '\f':
                    to.Append("\\f");
                    break;
                case >= ' ' and <= '~':
                    to.Append(c);
                    break;
                default:
                    // UTF-16 code units, as Python writes them: a surrogate pair for U+10000 and above.
                    to.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
            }
        }

        to.Append('"');
    }
}
