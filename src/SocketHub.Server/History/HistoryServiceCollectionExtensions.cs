namespace SocketHub.Server.History;

public static class HistoryServiceCollectionExtensions
{
    /// <summary>The history's services; its listener is opened by <c>ListenDialect</c> in the host.</summary>
    public static IServiceCollection AddHistory(this IServiceCollection services, HistorySettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<HistoryStore>();
        services.AddSingleton<HistoryWriter>();
        return services;
    }
}
