using SocketHub.Server.Chat;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.SecureChat;

/// <summary>
/// Boyd's encrypted chat, in the chat's room: its key (read or made at start) and its listener
/// on <c>Chat:SecurePort</c>. The room, accounts and lockouts are the chat module's.
/// </summary>
public sealed class SecureChatModule : DialectModule
{
    public override string Name => SecureChatDialect.Info.Name;

    public override void Add(DialectModuleContext context)
    {
        var settings = context.Settings<ChatSettings>("Chat");
        context.MakeAtStart<SecureChatKeyStore>();
        context.Listen<SecureChatConnectionHandler>(SecureChatDialect.Info, "Chat:SecurePort", settings.SecurePort, settings.SecureTlsPort);
    }
}
