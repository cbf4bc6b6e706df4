namespace SocketHub.Server.Board;

public static class BoardServiceCollectionExtensions
{
    /// <summary>The board's services; its listener is opened by <c>ListenDialect</c> in the host.</summary>
    public static IServiceCollection AddBoard(this IServiceCollection services, BoardSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<BoardStore>();
        services.AddSingleton<BoardPostWriter>();
        return services;
    }
}
