using SocketHub.Protocol.SecureChat;
using SocketHub.Server.Chat;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.SecureChat;

public static class SecureChatDialect
{
    /// <summary>
    /// Boyd's encrypted chat. A connection turned away by a limit gets the reason as a clear
    /// frame, which the original client reads as the answer to its login (not <c>OK</c>).
    /// </summary>
    public static Dialect Info { get; } = new("secure-chat", reason =>
    {
        var frame = new System.Buffers.ArrayBufferWriter<byte>();
        SecureChatFraming.WriteText(frame, reason);
        return System.Text.Encoding.UTF8.GetString(frame.WrittenSpan);
    });

    /// <summary>
    /// The port as a chat dialect, for one connection: each line is encrypted to that client's
    /// own key, so the dialect is made around the connection's <paramref name="writer"/>.
    /// </summary>
    public static ChatDialect Chat(SecureChatWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return new ChatDialect
        {
            Info = Info,
            Parse = SecureChatInput.Parse,
            Format = writer.Write,
            PrintsOnlySentences = true,
        };
    }
}
