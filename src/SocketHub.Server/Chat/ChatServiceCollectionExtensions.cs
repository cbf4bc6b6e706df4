namespace SocketHub.Server.Chat;

public static class ChatServiceCollectionExtensions
{
    /// <summary>The chat's services; its two listeners are opened by <c>ListenDialect</c> in the host.</summary>
    public static IServiceCollection AddChat(this IServiceCollection services, ChatSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<ChatRoom>();
        services.AddSingleton<ChatAccounts>();
        services.AddSingleton<ChatPasswords>();
        services.AddSingleton<ChatLockouts>();
        services.AddSingleton<ChatAccountTurns>();
        services.AddSingleton<ChatBacklog>();
        services.AddSingleton<ChatService>();
        services.AddSingleton<ChatAudit>();
        services.AddSingleton<ChatFloodControl>();
        services.AddSingleton<ChatHandlerServices>();
        services.AddHostedService<ChatStartup>();
        return services;
    }
}
