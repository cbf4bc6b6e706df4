using System.Buffers;
using SocketHub.Protocol.Chat;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Chat;

/// <summary>
/// How one chat port speaks, in one object given to its handler and to each of its sessions:
/// its name and hosting <see cref="Info"/>, how it reads a command and how it writes what the
/// room says. The room and its rules are the same on every port; only this differs.
/// </summary>
public sealed class ChatDialect
{
    /// <summary>The text port, for telnet and netcat.</summary>
    public static ChatDialect Text { get; } = new()
    {
        Info = new("chat", reason => ChatTextFormat.Format(ChatReply.Fail(null, reason))),
        Parse = ChatCommand.ParseLine,
        Format = ChatTextFormat.Write,
        PrintsOnlySentences = true,
    };

    /// <summary>The JSON port, speaking the COMP3331 messenger's protocol.</summary>
    public static ChatDialect Json { get; } = new()
    {
        Info = new("chat-json", reason => ChatJsonFormat.Format(ChatReply.Fail(null, reason))),

        // Decision: white space alone is ignored.
        Parse = line => string.IsNullOrWhiteSpace(line) ? new ChatCommand(ChatCommandKind.Empty, string.Empty) : ChatJsonRequest.Parse(line),
        Format = ChatJsonFormat.Write,
        Objects = ChatJsonFormat.Objects,
        TooLongSentence = ChatJsonTexts.RequestTooLong(ChatJsonRequest.MaxRequestBytes),
        PeerToPeer = true,
    };

    /// <summary>The port's name (logs, counters, the activity feed, /audit) and its one-line refusals.</summary>
    public required Dialect Info { get; init; }

    public string Name => Info.Name;

    /// <summary>A command line of the port; null when it cannot be read as a request at all.</summary>
    public required Func<string, ChatCommand?> Parse { get; init; }

    /// <summary>Writes one output as the port's bytes (lines gathered meanwhile go out in one flush).</summary>
    public required Action<ChatOutput, IBufferWriter<byte>> Format { get; init; }

    /// <summary>
    /// Set when each object must arrive alone (the JSON port): the objects an output makes, each
    /// written on its own and spaced out (see <see cref="ChatSession"/>). Null writes with <see cref="Format"/>.
    /// </summary>
    public Func<ChatOutput, IReadOnlyList<byte[]>>? Objects { get; init; }

    /// <summary>What a client that sent more than a request's limit is told before the close.</summary>
    public string TooLongSentence { get; init; } = ChatTexts.LineTooLong;

    /// <summary>
    /// True when the port prints a sentence or nothing: an output without one (a delivered
    /// <c>message</c>) is not written and takes no place in the queue. The JSON port answers
    /// every request with an object.
    /// </summary>
    public bool PrintsOnlySentences { get; init; }

    /// <summary>
    /// True when the port's client listens for peer-to-peer chats (the COMP3331 messenger's):
    /// only such a user's address is given to a peer that asks for a private chat.
    /// </summary>
    public bool PeerToPeer { get; init; }

    public override string ToString() => Name;
}
