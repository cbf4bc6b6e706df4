using System.Text.Json;
using StackExchange.Redis;

namespace SocketHub.Server.Cluster.Chat;

/// <summary>A stored room line as published after its commit: the id orders it on every node.</summary>
public sealed record ClusterLine(long Id, string Sender, string Text);

/// <summary>A user entering (<c>In</c>) or leaving the room on a node.</summary>
public sealed record ClusterPresenceChange(string Node, string User, bool In, DateTimeOffset At);

/// <summary>A block set (<c>On</c>) or lifted; it is stored already.</summary>
public sealed record ClusterBlockChange(string Node, string Blocker, string Blocked, bool On);

/// <summary>A <c>message</c> for a user whose session is on another node.</summary>
public sealed record ClusterDirect(string Sender, string Text);

/// <summary>
/// The Redis channels and keys of the cluster's chat, and their JSON payloads. Channels carry
/// only what is stored already or is short-lived (presence, a message for an online user): a
/// message lost with Redis is caught up from the database or was never acknowledged as delivered.
/// </summary>
public static class ClusterChatChannels
{
    public static readonly RedisChannel Lines = RedisChannel.Literal("chat:lines");
    public static readonly RedisChannel Presence = RedisChannel.Literal("chat:presence");
    public static readonly RedisChannel Blocks = RedisChannel.Literal("chat:blocks");
    public static readonly RedisChannel Accounts = RedisChannel.Literal("chat:accounts");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The channel a user's node listens on while the user is in the room there.</summary>
    public static RedisChannel User(string user) => RedisChannel.Literal("chat:user:" + user);

    /// <summary>The set of users in the room on <paramref name="node"/>, with the node's TTL.</summary>
    public static RedisKey Online(string node) => "chat:online:" + node;

    public static RedisValue Encode<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static T? Decode<T>(RedisValue value)
        where T : class
    {
        try
        {
            return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<T>(value.ToString(), Json);
        }
        catch (JsonException)
        {
            // Not ours (another program on the channel): ignored.
            return null;
        }
    }
}
