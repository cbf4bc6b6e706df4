using SocketHub.Server.Chat;
using StackExchange.Redis;

namespace SocketHub.Server.Cluster.Chat;

/// <summary>
/// One chat room across every node that shares the PostgreSQL database and the Redis
/// (<c>Chat:Backplane=redis</c> with <c>Storage:Provider=Postgres</c>). PostgreSQL is the truth,
/// Redis only carries news:
/// <list type="bullet">
/// <item>A broadcast is stored first (the room log hands out its id), acknowledged, then published;
/// every node, this one included, delivers the lines in id order through its
/// <see cref="ClusterLineFeed"/>, which reads the database after a gap or an outage.</item>
/// <item>Arrivals and departures go on the presence channel and into the node's set of users;
/// <see cref="ClusterPresence"/> keeps the other nodes' users for <c>whoelse</c>.</item>
/// <item>A <c>message</c> to a user on another node goes on that user's channel, which the user's
/// node listens on while the user is in the room there; nobody listening means offline: stored.</item>
/// <item>Blocks and new accounts are stored first and then announced, and read again from the
/// database whenever the channels were away.</item>
/// </list>
/// </summary>
public sealed class ClusterChat : IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly ClusterSettings _settings;
    private readonly ChatRoom _room;
    private readonly ChatAccounts _accounts;
    private readonly ChatRoomLogWriter _store;
    private readonly ClusterLineFeed _feed;
    private readonly ClusterPresence _presence;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterChat> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<ChannelMessageQueue> _channels = [];
    private Task _feedLoop = Task.CompletedTask;
    private Task _pollLoop = Task.CompletedTask;

    // Set when this node's set of users in Redis may be wrong (Redis was away, a write failed):
    // the next heartbeat writes it whole instead of renewing its TTL.
    private int _stale = 1;

    public ClusterChat(
        IConnectionMultiplexer redis,
        ClusterSettings settings,
        ChatRoom room,
        ChatAccounts accounts,
        ChatRoomLogWriter store,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        _redis = redis;
        _settings = settings;
        _room = room;
        _accounts = accounts;
        _store = store;
        _time = time;
        _logger = loggers.CreateLogger<ClusterChat>();
        _feed = new ClusterLineFeed(store, room, loggers.CreateLogger<ClusterLineFeed>());
        _presence = new ClusterPresence(room, time);
    }

    /// <summary>Users in the room on other nodes, as last heard.</summary>
    public ClusterPresence Presence => _presence;

    /// <summary>The id of the last room line delivered on this node.</summary>
    public long LastLineId => _feed.Last;

    /// <summary>Subscribes to the channels and starts delivering; before the listeners open.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var subscriber = _redis.GetSubscriber();
        await SubscribeAsync(subscriber, ClusterChatChannels.Lines, message =>
        {
            if (ClusterChatChannels.Decode<ClusterLine>(message) is { } line)
            {
                _feed.Published(line);
            }
        });
        await SubscribeAsync(subscriber, ClusterChatChannels.Presence, message =>
        {
            if (ClusterChatChannels.Decode<ClusterPresenceChange>(message) is { } change && change.Node != _settings.NodeId)
            {
                _presence.Changed(change);
            }
        });
        await SubscribeAsync(subscriber, ClusterChatChannels.Blocks, message =>
        {
            if (ClusterChatChannels.Decode<ClusterBlockChange>(message) is { } change && change.Node != _settings.NodeId)
            {
                if (change.On)
                {
                    _room.Block(change.Blocker, change.Blocked);
                }
                else
                {
                    _room.Unblock(change.Blocker, change.Blocked);
                }
            }
        });
        await SubscribeAsync(subscriber, ClusterChatChannels.Accounts, message =>
        {
            if (!message.IsNullOrEmpty)
            {
                _accounts.Known(message.ToString());
            }
        });
        _accounts.Created += user => Publish(ClusterChatChannels.Accounts, user);

        // Subscribed first, then the start line: a line committed in between is both after the
        // start and on the channel (or found by the first read).
        await _feed.StartAsync(cancellationToken);
        _redis.ConnectionRestored += OnRestored;
        _redis.ConnectionFailed += OnFailed;
        _feedLoop = Task.Run(() => _feed.RunAsync(_stopping.Token), CancellationToken.None);
        _pollLoop = Task.Run(PollAsync, CancellationToken.None);
        ClusterChatLog.Started(_logger, _settings.NodeId, _feed.Last);
    }

    /// <summary>
    /// Stores the line and, once committed, publishes it; every node's feed delivers it (this
    /// node's too). False when it could not be stored: nothing was sent, and the sender is told.
    /// </summary>
    public async Task<bool> BroadcastAsync(string sender, string text)
    {
        var id = await _store.AppendAsync(new Data.ChatRoomLine { Sender = sender, Text = text, At = _time.GetUtcNow() });
        if (id == 0)
        {
            return false;
        }

        if (!Publish(ClusterChatChannels.Lines, ClusterChatChannels.Encode(new ClusterLine(id, sender, text))))
        {
            // Not published: every node, this one included, reads it from the database.
            _feed.CatchUp();
        }

        return true;
    }

    /// <summary>True when a user who blocks <paramref name="sender"/> is in the room on any node.</summary>
    public bool AnyBlockerOnline(string sender) =>
        _room.BlockersOf(sender).Any(user => _room.IsOnline(user) || _presence.IsOnline(user));

    /// <summary>
    /// Listens on the user's channel for messages from other nodes until the returned listener is
    /// disposed; before the login reads the stored messages, so a message is either stored before
    /// that read or arrives here after it. Without Redis the user gets no such messages now: the
    /// senders' nodes store them for the next login.
    /// </summary>
    public async Task<IAsyncDisposable> ListenAsync(string user, Func<ClusterDirect, Task> deliver)
    {
        try
        {
            var queue = await _redis.GetSubscriber().SubscribeAsync(ClusterChatChannels.User(user));
            queue.OnMessage(async message =>
            {
                if (ClusterChatChannels.Decode<ClusterDirect>(message.Message) is { } direct)
                {
                    await deliver(direct);
                }
            });
            return new Listener(queue);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            ClusterChatLog.ListenFailed(_logger, user, e.GetType().Name);
            return new Listener(null);
        }
    }

    /// <summary>The user is in the room here now: the other nodes hear it.</summary>
    public void Entered(string user)
    {
        var database = _redis.GetDatabase();
        Write(() => database.SetAdd(ClusterChatChannels.Online(_settings.NodeId), user, CommandFlags.FireAndForget));
        Publish(ClusterChatChannels.Presence, ClusterChatChannels.Encode(new ClusterPresenceChange(_settings.NodeId, user, true, _time.GetUtcNow())));
    }

    /// <summary>The user left the room here: the other nodes hear it.</summary>
    public void Left(string user)
    {
        var database = _redis.GetDatabase();
        Write(() => database.SetRemove(ClusterChatChannels.Online(_settings.NodeId), user, CommandFlags.FireAndForget));
        Publish(ClusterChatChannels.Presence, ClusterChatChannels.Encode(new ClusterPresenceChange(_settings.NodeId, user, false, _time.GetUtcNow())));
    }

    /// <summary>Sends a message to a user's node; false when no node listens for the user (offline) or Redis is away.</summary>
    public async Task<bool> SendDirectAsync(string recipient, ClusterDirect direct)
    {
        try
        {
            return await _redis.GetSubscriber().PublishAsync(ClusterChatChannels.User(recipient), ClusterChatChannels.Encode(direct)) > 0;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>A block stored here: the other nodes apply it.</summary>
    public void BlockChanged(string blocker, string blocked, bool on) =>
        Publish(ClusterChatChannels.Blocks, ClusterChatChannels.Encode(new ClusterBlockChange(_settings.NodeId, blocker, blocked, on)));

    /// <summary>Part of the heartbeat: renews (or rewrites) this node's set of users and rebuilds the view of the others'.</summary>
    public async Task BeatAsync(IReadOnlyList<ClusterNode> nodes)
    {
        var database = _redis.GetDatabase();
        var own = ClusterChatChannels.Online(_settings.NodeId);
        if (Interlocked.Exchange(ref _stale, 0) == 1)
        {
            try
            {
                var users = _room.OnlineUsers().Select(user => (RedisValue)user).ToArray();
                var transaction = database.CreateTransaction();
                _ = transaction.KeyDeleteAsync(own);
                if (users.Length > 0)
                {
                    _ = transaction.SetAddAsync(own, users);
                }

                _ = transaction.KeyExpireAsync(own, _settings.NodeTtl);
                await transaction.ExecuteAsync();
            }
            catch
            {
                MarkStale();
                throw;
            }
        }
        else
        {
            await database.KeyExpireAsync(own, _settings.NodeTtl);
        }

        var mark = _presence.Mark();
        var others = nodes.Where(node => node.Id != _settings.NodeId).ToList();
        var sets = await Task.WhenAll(others.Select(node => database.SetMembersAsync(ClusterChatChannels.Online(node.Id))));
        var read = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < others.Count; i++)
        {
            foreach (var user in sets[i])
            {
                read[user.ToString()] = others[i].Id;
            }
        }

        _presence.Rebuild(mark, read);
    }

    /// <summary>Stops delivering and leaves the channels; after the listeners have closed.</summary>
    public async Task StopAsync()
    {
        _redis.ConnectionRestored -= OnRestored;
        _redis.ConnectionFailed -= OnFailed;
        await _stopping.CancelAsync();
        _feed.Complete();
        await Task.WhenAll(_feedLoop, _pollLoop);
        foreach (var queue in _channels)
        {
            await Unsubscribe(queue);
        }

        try
        {
            await _redis.GetDatabase().KeyDeleteAsync(ClusterChatChannels.Online(_settings.NodeId));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The set expires with the node's TTL.
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task SubscribeAsync(ISubscriber subscriber, RedisChannel channel, Action<RedisValue> handler)
    {
        var queue = await subscriber.SubscribeAsync(channel);
        queue.OnMessage(message => handler(message.Message));
        _channels.Add(queue);
    }

    /// <summary>Reads the database for lines every heartbeat, and often while Redis is away.</summary>
    private async Task PollAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(_redis.IsConnected ? _settings.Heartbeat : ClusterLineFeed.OutagePoll, _time, _stopping.Token);
                _feed.CatchUp();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void OnFailed(object? sender, ConnectionFailedEventArgs e) => MarkStale();

    private void OnRestored(object? sender, ConnectionFailedEventArgs e)
    {
        MarkStale();
        _feed.CatchUp();
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            // Changes announced while the channels were away were missed: read them again.
            _ = ReloadAsync();
        }
    }

    private async Task ReloadAsync()
    {
        try
        {
            _room.ReplaceBlocks(await _accounts.LoadMissingAsync(_stopping.Token));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ClusterChatLog.ReloadFailed(_logger, e);
        }
    }

    private bool Publish(RedisChannel channel, RedisValue message)
    {
        if (!_redis.IsConnected)
        {
            MarkStale();
            return false;
        }

        return Write(() => _redis.GetSubscriber().Publish(channel, message, CommandFlags.FireAndForget));
    }

    private bool Write(Action write)
    {
        try
        {
            write();
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            MarkStale();
            return false;
        }
    }

    private static async Task Unsubscribe(ChannelMessageQueue queue)
    {
        try
        {
            await queue.UnsubscribeAsync();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Gone with the connection.
        }
    }

    private void MarkStale() => Volatile.Write(ref _stale, 1);

    /// <summary>One session's subscription to its user's channel; null when Redis was away.</summary>
    private sealed class Listener(ChannelMessageQueue? queue) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (queue is not null)
            {
                await Unsubscribe(queue);
            }
        }
    }
}
