using SocketHub.Server.Hosting;

namespace SocketHub.Server.Chat;

/// <summary>
/// <c>Chat:LinesPerSecond</c> with bursts of <c>Chat:LineBurst</c>, per user (not per
/// connection, so logging in again does not refill it; both dialects share it).
/// </summary>
public sealed class ChatFloodControl(ChatSettings settings, TimeProvider time)
{
    private readonly AddressRateLimiter _buckets = new(settings.LinesPerSecond, settings.LineBurst, time);

    public bool TryAcquire(string user) => _buckets.TryAcquire(user);
}
