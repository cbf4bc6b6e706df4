using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace SocketHub.Protocol.Chat;

/// <summary>
/// The JSON port's output, in the COMP3331 messenger's schema and byte format (Python's
/// <c>json.dumps</c>), each object followed by <c>\n</c>:
/// replies <c>{"status": "success"|"unsuccessful"|"unknown", "data": {"command": ..., "message": ...}}</c>
/// and <c>{"status": "logout", "data": []}</c>; events <c>message</c> (<c>data.source</c>),
/// <c>broadcast</c> (<c>data.sender</c>) and <c>serverMessage</c>.
/// <para>
/// The original client reads each object with one <c>recv(1024)</c> and <c>json.loads</c>, so an
/// object must arrive whole and alone: no object here is longer than <see cref="MaxObjectBytes"/>
/// (line end included). A longer one is cut into parts, each a complete object of the same kind
/// with a piece of the text (or of the list), all but the last marked <c>"more": true</c>; the
/// session writes each object on its own and spaces them out (see the server's chat session).
/// </para>
/// </summary>
public static class ChatJsonFormat
{
    /// <summary>The original client's <c>recv(1024)</c>: the most one object may take, its line end included.</summary>
    public const int MaxObjectBytes = 1024;

    private const string End = "\n";

    // The bytes of events that go to a whole room, keyed by the event object itself (not its
    // value), so an entry lives exactly as long as some queue still holds the event.
    private static readonly ConditionalWeakTable<ChatOutput, IReadOnlyList<byte[]>> RoomWide = [];

    /// <summary>The objects to send for <paramref name="output"/>, in order; each one write.</summary>
    public static IReadOnlyList<byte[]> Objects(ChatOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);

        // A broadcast or presence event is one object queued for every user in the room: it is
        // encoded once, by the first writer loop that gets to it, and the others reuse its bytes.
        if (output is ChatEvent { Kind: ChatEventKind.Broadcast or ChatEventKind.Presence })
        {
            return RoomWide.GetValue(output, static o => Encode(o));
        }

        return Encode(output);
    }

    /// <summary>All the objects back to back (for tests and one-off lines such as "too many connections").</summary>
    public static void Write(ChatOutput output, IBufferWriter<byte> to)
    {
        ArgumentNullException.ThrowIfNull(to);
        foreach (var item in Objects(output))
        {
            to.Write(item);
        }
    }

    public static string Format(ChatOutput output)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(output, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static List<byte[]> Encode(ChatOutput output) => output switch
    {
        ChatPrompt => [],
        ChatWelcome welcome => Welcome(welcome),
        ChatJsonReply reply => JsonReply(reply),
        ChatReply reply => Reply(reply),
        ChatEvent e => Event(e),
        _ => [],
    };

    private static List<byte[]> Reply(ChatReply reply)
    {
        var status = reply.Success ? ChatJsonTexts.Success : ChatJsonTexts.Unsuccessful;
        if (reply.Users is { } users)
        {
            return List(status, reply.Command, string.Empty, users.Select(u => u + "\n").ToList(), string.Empty, users);
        }

        return Text(reply.Message, (piece, more) => Data(status, json =>
        {
            if (reply.Command is not null)
            {
                json.Member("command", reply.Command);
            }

            json.Member("message", piece);
        }, more));
    }

    private static List<byte[]> JsonReply(ChatJsonReply reply)
    {
        if (reply.EmptyData)
        {
            return [new PythonJson().StartObject().Member("status", reply.Status).Name("data").StartArray().EndArray().EndObject().ToBytes(End)];
        }

        if (reply.Users is { } users)
        {
            // whoelse, whoelsesince: "<header> * a\n * b\n<footer>", plus the names as a list.
            var header = reply.Message[..reply.Message.IndexOf(ChatJsonTexts.ListRule, StringComparison.Ordinal)] + ChatJsonTexts.ListRule + "\n";
            var footer = reply.Message[reply.Message.LastIndexOf(ChatJsonTexts.ListRule, StringComparison.Ordinal)..];
            return List(reply.Status, reply.Command, header, users.Select(ChatJsonTexts.ListLine).ToList(), footer, users);
        }

        return Text(reply.Message, (piece, more) => Data(reply.Status, json =>
        {
            if (reply.Command is not null)
            {
                json.Member("command", reply.Command);
            }

            json.Member("message", piece);
            if (reply.Target is not null)
            {
                json.Member("target", reply.Target);
            }

            if (reply.TargetAddress is var (host, port))
            {
                json.Name("targetAddress").StartArray().StringValue(host).NumberValue(port).EndArray();
            }
        }, more));
    }

    private static List<byte[]> Welcome(ChatWelcome welcome)
    {
        // As many stored messages as fit go in the login reply; the rest follow as message events.
        var unread = welcome.Stored.Select(m => ChatJsonTexts.Unread(m.Sender!, m.Text!)).ToList();
        var fitting = unread.Count;
        byte[] reply;
        while (true)
        {
            var json = Data(ChatJsonTexts.Success, j => j
                .Member("command", ChatCommandTable.Login.Name)
                .Member("message", ChatJsonTexts.LoggedInAs(welcome.User))
                .Member("unreadMessages", unread.Take(fitting)), more: false);
            if (json.Length + End.Length <= MaxObjectBytes || fitting == 0)
            {
                reply = json.ToBytes(End);
                break;
            }

            fitting--;
        }

        List<byte[]> objects = [reply];
        foreach (var late in welcome.Stored.Skip(fitting))
        {
            objects.AddRange(Event(late));
        }

        return objects;
    }

    private static List<byte[]> Event(ChatEvent e) => e.Kind switch
    {
        ChatEventKind.Message => Text(e.Text!, (piece, more) => Data(ChatJsonTexts.Message, j => j
            .Member("source", e.Sender!).Member("message", piece), more)),
        ChatEventKind.Broadcast => Text(e.Text!, (piece, more) => Data(ChatJsonTexts.Broadcast, j => j
            .Member("status", ChatJsonTexts.Broadcast).Member("sender", e.Sender!).Member("message", piece), more)),
        ChatEventKind.Presence => Text(e.Action == "login" ? ChatJsonTexts.Online(e.User!) : ChatJsonTexts.Left(e.User!), (piece, more) =>
            Data(ChatJsonTexts.Broadcast, j => j
                .Member("status", ChatJsonTexts.Broadcast).Member("sender", e.User!).Member("message", piece)
                .Member("presence", e.Action!), more)),

        // Relayed by the server from a text-port user: a message marked private.
        ChatEventKind.Private when e.Action is null => Text(e.Text!, (piece, more) => Data(ChatJsonTexts.Message, j => j
            .Member("source", e.Sender!).Member("message", piece).Name("private").BoolValue(true), more)),
        ChatEventKind.Private => Text(e.Message, (piece, more) => Data(ChatJsonTexts.ServerMessage, j => j
            .Member("message", piece).Member("sender", e.Sender!).Member("private", e.Action!), more)),
        _ => Text(e.Message, (piece, more) => Data(ChatJsonTexts.ServerMessage, j => j.Member("message", piece), more)),
    };

    /// <summary><c>{"status": status, "data": {members..., ["more": true]}}</c>.</summary>
    private static PythonJson Data(string status, Action<PythonJson> members, bool more)
    {
        var json = new PythonJson().StartObject().Member("status", status).Name("data").StartObject();
        members(json);
        if (more)
        {
            json.Name("more").BoolValue(true);
        }

        return json.EndObject().EndObject();
    }

    /// <summary>
    /// One object holding <paramref name="text"/>, or, when that is too long, several holding
    /// consecutive pieces of it (never cutting a surrogate pair), all but the last with <c>more</c>.
    /// </summary>
    private static List<byte[]> Text(string text, Func<string, bool, PythonJson> build)
    {
        var whole = build(text, false);
        if (whole.Length + End.Length <= MaxObjectBytes)
        {
            return [whole.ToBytes(End)];
        }

        var pieces = Pieces(text, MaxObjectBytes - End.Length - build(string.Empty, true).Length);
        return [.. pieces.Select((piece, i) => build(piece, i < pieces.Count - 1).ToBytes(End))];
    }

    /// <summary>
    /// <paramref name="text"/> cut into consecutive pieces that each take at most
    /// <paramref name="room"/> bytes once written as a JSON string (quotes not counted), never
    /// inside a surrogate pair; at least one character a piece.
    /// </summary>
    public static IReadOnlyList<string> Pieces(string text, int room)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (PythonJson.StringLength(text) - 2 <= room)
        {
            return [text];
        }

        List<string> pieces = [];
        var start = 0;
        while (start < text.Length)
        {
            var used = 0;
            var end = start;
            while (end < text.Length)
            {
                var step = char.IsHighSurrogate(text[end]) && end + 1 < text.Length ? 2 : 1;
                var cost = PythonJson.StringLength(text.Substring(end, step)) - 2;
                if (used + cost > room && end > start)
                {
                    break;
                }

                used += cost;
                end += step;
            }

            pieces.Add(text[start..end]);
            start = end;
        }

        return pieces;
    }

    /// <summary>A list reply cut between its lines when too long; the header goes first, the footer last.</summary>
    private static List<byte[]> List(string status, string? command, string header, List<string> lines, string footer, IReadOnlyList<string> users)
    {
        PythonJson Build(int from, int count, bool first, bool last) => Data(status, j =>
        {
            if (command is not null)
            {
                j.Member("command", command);
            }

            j.Member("message", (first ? header : string.Empty) + string.Concat(lines.Skip(from).Take(count)) + (last ? footer : string.Empty))
                .Member("users", users.Skip(from).Take(count));
        }, more: !last);

        var whole = Build(0, lines.Count, true, true);
        if (whole.Length + End.Length <= MaxObjectBytes)
        {
            return [whole.ToBytes(End)];
        }

        List<byte[]> objects = [];
        var start = 0;
        while (true)
        {
            var count = 0;
            // Conservative: a part must fit with the footer and with the "more" mark.
            while (start + count < lines.Count
                && Build(start, count + 1, start == 0, true).Length + End.Length + 16 <= MaxObjectBytes)
            {
                count++;
            }

            count = Math.Max(count, Math.Min(1, lines.Count - start));
            var last = start + count >= lines.Count;
            objects.Add(Build(start, count, start == 0, last).ToBytes(End));
            start += count;
            if (last)
            {
                return objects;
            }
        }
    }
}
