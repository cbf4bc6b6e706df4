using SocketHub.Protocol.Chat;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Chat;

public static class ChatDialect
{
    /// <summary>The text dialect, for telnet and netcat.</summary>
    public static Dialect Text { get; } = new("chat", reason => ChatTextFormat.Format(ChatReply.Fail(null, reason)));

    /// <summary>The JSON dialect, for programs.</summary>
    public static Dialect Json { get; } = new("chat-json", reason => ChatJsonFormat.Format(ChatReply.Fail(null, reason)));
}
