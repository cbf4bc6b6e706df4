using SocketHub.Server.Hosting;
using StackExchange.Redis;

namespace SocketHub.Server.Cluster;

/// <summary>
/// Registers the cluster's settings and, when the backplane is redis, the one shared Redis
/// connection, the node registry with its heartbeat, the Redis session claims and the cluster-wide
/// per-address connection count, and on PostgreSQL the one chat room across nodes
/// (<see cref="Chat.ClusterChat"/>). With no backplane only the settings are registered: the chat
/// then takes the in-memory claims, and the gates the node's own count.
/// </summary>
public static class ClusterServices
{
    public static ClusterSettings Add(IServiceCollection services, IConfiguration configuration, SettingsCheck check, Data.StorageProvider storage)
    {
        var settings = ClusterSettings.Load(configuration, check);
        services.AddSingleton(settings);
        if (!settings.Enabled || settings.Redis is null)
        {
            return settings;
        }

        services.AddSingleton<IConnectionMultiplexer>(provider => Connect(settings, provider.GetRequiredService<ILogger<ClusterNodes>>()));
        services.AddSingleton<ClusterNodes>();
        services.AddSingleton<RedisChatSessionClaims>();
        services.AddSingleton<IChatSessionClaims>(provider => provider.GetRequiredService<RedisChatSessionClaims>());
        services.AddSingleton<RedisAddressConnectionCounter>();
        services.AddSingleton<IAddressConnectionCounter>(provider => provider.GetRequiredService<RedisAddressConnectionCounter>());
        services.AddHostedService<ClusterHeartbeat>();

        // One room across the nodes needs one room log every node reads: the shared PostgreSQL.
        // On SQLite each node's file is its own, so each node keeps its own room.
        if (storage == Data.StorageProvider.Postgres)
        {
            services.AddSingleton<Chat.ClusterChat>();
        }

        return settings;
    }

    private static ConnectionMultiplexer Connect(ClusterSettings settings, ILogger logger)
    {
        var options = settings.Redis!;
        ClusterLog.Joining(logger, settings.NodeId, string.Join(", ", options.EndPoints.Select(ClusterSettings.Describe)));

        // AbortOnConnectFail is off (ClusterSettings): this returns even when Redis is down, and
        // the multiplexer keeps reconnecting in the background.
        var multiplexer = ConnectionMultiplexer.Connect(options);
        multiplexer.ConnectionFailed += (_, e) => ClusterLog.ConnectionFailed(logger, ClusterSettings.Describe(e.EndPoint), e.FailureType.ToString());
        multiplexer.ConnectionRestored += (_, e) => ClusterLog.ConnectionRestored(logger, ClusterSettings.Describe(e.EndPoint));
        return multiplexer;
    }
}
