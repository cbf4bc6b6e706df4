using System.Buffers;
using System.Text;

namespace SocketHub.Protocol.Chat;

/// <summary>
/// The text dialect's output: each sentence on its own line ending in <c>\n</c> (netcat and
/// telnet both show that as a line break); prompts without a line end; nothing at all for an
/// empty sentence (a delivered <c>message</c> is silent).
/// </summary>
public static class ChatTextFormat
{
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

        Encoding.UTF8.GetBytes(output.Message, to);
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
}
