using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SocketHub.Protocol.Chat;

/// <summary>
/// The JSON dialect's output: one object per line (<c>\n</c>).
/// Replies: <c>{"status":"success"|"error","command":"...","data":{"message":"...",...}}</c>;
/// events: <c>{"status":"message"|"broadcast"|"private"|"presence"|"server","data":{...}}</c>.
/// <c>data.message</c> is always the text dialect's sentence, so a client can just print it.
/// Prompts are not sent.
/// </summary>
public static class ChatJsonFormat
{
    private static readonly JsonWriterOptions Options = new()
    {
        // Readable in a terminal: non-ASCII letters as they are, no \u003C for '<'.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    // The bytes of events that go to a whole room, keyed by the event object itself (not its
    // value), so an entry lives exactly as long as some queue still holds the event.
    private static readonly ConditionalWeakTable<ChatOutput, byte[]> RoomWide = [];

    public static void Write(ChatOutput output, IBufferWriter<byte> to)
    {
        // A broadcast or presence event is one object queued for every user in the room: it is
        // encoded once, by the first writer loop that gets to it, and the others copy its bytes,
        // instead of each building a Utf8JsonWriter and escaping the same text again.
        if (output is ChatEvent { Kind: ChatEventKind.Broadcast or ChatEventKind.Presence })
        {
            to.Write(RoomWide.GetValue(output, static o => Encode(o)));
            return;
        }

        WriteObject(output, to);
    }

    private static byte[] Encode(ChatOutput output)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteObject(output, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteObject(ChatOutput output, IBufferWriter<byte> to)
    {
        if (output is ChatPrompt)
        {
            return;
        }

        using (var json = new Utf8JsonWriter(to, Options))
        {
            json.WriteStartObject();
            switch (output)
            {
                case ChatReply reply:
                    json.WriteString("status", reply.Success ? "success" : "error");
                    if (reply.Command is not null)
                    {
                        json.WriteString("command", reply.Command);
                    }

                    json.WriteStartObject("data");
                    json.WriteString("message", reply.Message);
                    if (reply.Users is not null)
                    {
                        json.WriteStartArray("users");
                        foreach (var user in reply.Users)
                        {
                            json.WriteStringValue(user);
                        }

                        json.WriteEndArray();
                    }

                    if (reply.Address is not null)
                    {
                        json.WriteString("address", reply.Address);
                    }

                    if (reply.Port is { } port)
                    {
                        json.WriteNumber("port", port);
                    }

                    json.WriteEndObject();
                    break;
                case ChatEvent e:
                    json.WriteString("status", Status(e.Kind));
                    json.WriteStartObject("data");
                    WriteIfSet(json, "sender", e.Sender);
                    WriteIfSet(json, "user", e.User);
                    WriteIfSet(json, "action", e.Action);
                    WriteIfSet(json, "text", e.Text);
                    json.WriteString("message", e.Message);
                    json.WriteEndObject();
                    break;
            }

            json.WriteEndObject();
        }

        to.Write("\n"u8);
    }

    public static string Format(ChatOutput output)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(output, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Status(ChatEventKind kind) => kind switch
    {
        ChatEventKind.Message => "message",
        ChatEventKind.Broadcast => "broadcast",
        ChatEventKind.Private => "private",
        ChatEventKind.Presence => "presence",
        _ => "server",
    };

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
