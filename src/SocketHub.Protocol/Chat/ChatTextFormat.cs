using System.Buffers;
using System.Globalization;
using System.Text;

namespace SocketHub.Protocol.Chat;

/// <summary>
/// The text dialect's output: each sentence on its own line ending in <c>\n</c> (netcat and
/// telnet both show that as a line break); prompts without a line end; nothing at all for an
/// empty sentence (a delivered <c>message</c> is silent). Control characters are written as
/// visible escapes (<see cref="Visible"/>): what another user typed reaches a terminal as text,
/// never as a command to it.
/// </summary>
public static class ChatTextFormat
{
    // C0 but the tab, DEL and C1: what a terminal acts on instead of showing. The tab only moves
    // the cursor right, so text keeps it.
    private static readonly SearchValues<char> Controls = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c != '\t').Select(c => (char)c), '\x7f', .. Enumerable.Range(0x80, 0x20).Select(c => (char)c)]);

    private static readonly SearchValues<char> ControlsButLineBreaks = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c is not ('\t' or '\n')).Select(c => (char)c), '\x7f', .. Enumerable.Range(0x80, 0x20).Select(c => (char)c)]);

    public static void Write(ChatOutput output, IBufferWriter<byte> to)
    {
        if (output is ChatWelcome welcome)
        {
            // The welcome, then each stored message on its own line.
            Write(ChatReply.Ok(ChatCommandTable.Login.Name, welcome.Message), to);
            foreach (var stored in welcome.Stored)
            {
                Write(stored, to);
            }

            return;
        }

        if (output.Message.Length == 0)
        {
            return;
        }

        // A user's text is one line whatever it holds (a JSON client can send "\n"): a line of
        // its own would let anyone print what looks like the server's alert. The server's own
        // sentences keep their line breaks (lists, help).
        Encoding.UTF8.GetBytes(Visible(output.Message, keepLineBreaks: output is not ChatEvent { Text: not null }), to);
        if (output is not ChatPrompt)
        {
            to.Write("\n"u8);
        }
    }

    public static string Format(ChatOutput output)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(output, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// <paramref name="text"/> with every control character but the tab written as Python's
    /// <c>repr</c> writes it: <c>\n</c>, <c>\r</c>, and <c>\x</c> with two hex digits for the
    /// others (ESC is <c>\x1b</c>, DEL <c>\x7f</c>, the C1 controls <c>\x80</c> to <c>\x9f</c>).
    /// A backslash the user typed stays as it is, so the escapes are for the eye, not to be
    /// decoded. <paramref name="keepLineBreaks"/> leaves <c>\n</c> alone. Text without control
    /// characters is returned as it is.
    /// </summary>
    public static string Visible(string text, bool keepLineBreaks = false)
    {
        var controls = keepLineBreaks ? ControlsButLineBreaks : Controls;
        var first = text.AsSpan().IndexOfAny(controls);
        if (first < 0)
        {
            return text;
        }

        var visible = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (!controls.Contains(c))
            {
                visible.Append(c);
                continue;
            }

            visible.Append(c switch
            {
                '\n' => @"\n",
                '\r' => @"\r",
                _ => @"\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
            });
        }

        return visible.ToString();
    }
}
