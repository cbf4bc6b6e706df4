namespace SocketHub.Server.Crypto;

public static class CryptoServiceCollectionExtensions
{
    /// <summary>The crypto dialect's services; its listener is opened by <c>ListenDialect</c> in the host.</summary>
    public static IServiceCollection AddCrypto(this IServiceCollection services, CryptoSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<CryptoKeyRing>();
        services.AddSingleton<CryptoStats>();
        return services;
    }
}
