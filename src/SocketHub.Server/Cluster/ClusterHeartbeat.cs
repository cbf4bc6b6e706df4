using StackExchange.Redis;

namespace SocketHub.Server.Cluster;

/// <summary>
/// Every <see cref="ClusterSettings.Heartbeat"/>: rewrites this node's registry entry, refreshes
/// its sessions' claims and its connection counts per address, reads the registry for /audit, and
/// renews the chat's view of who is on which node (<see cref="Chat.ClusterChat.BeatAsync"/>).
/// A failure (Redis away) is logged once and the next beat tries again. A clean stop takes the node out of the registry at once.
/// </summary>
public sealed class ClusterHeartbeat(
    ClusterNodes nodes,
    RedisChatSessionClaims claims,
    RedisAddressConnectionCounter connections,
    ClusterSettings settings,
    TimeProvider time,
    ILogger<ClusterHeartbeat> logger,
    Chat.ClusterChat? chat = null) : BackgroundService
{
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Heartbeat, time);
        do
        {
            await BeatAsync();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await nodes.RemoveOwnAsync().WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or OperationCanceledException)
        {
            // The entry expires on its own within the TTL.
        }
    }

    private async Task BeatAsync()
    {
        try
        {
            await nodes.WriteOwnAsync();
            await claims.RefreshAsync();
            await connections.RefreshAsync();
            var live = await nodes.ReadAsync();
            if (chat is not null)
            {
                await chat.BeatAsync(live);
            }
            if (_failing)
            {
                _failing = false;
                ClusterLog.HeartbeatRestored(logger, settings.NodeId);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            if (!_failing)
            {
                _failing = true;
                ClusterLog.HeartbeatFailed(logger, settings.NodeId, e.GetType().Name);
            }
        }
    }
}
