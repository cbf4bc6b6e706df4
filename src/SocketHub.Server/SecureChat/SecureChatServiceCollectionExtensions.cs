namespace SocketHub.Server.SecureChat;

public static class SecureChatServiceCollectionExtensions
{
    /// <summary>
    /// The secure chat's own service, its key; the room, accounts and lockouts are the chat's
    /// (<c>AddChat</c>). Its listener is opened by <c>ListenDialect</c> in the host.
    /// </summary>
    public static IServiceCollection AddSecureChat(this IServiceCollection services)
    {
        services.AddSingleton<SecureChatKeyStore>();
        return services;
    }
}
