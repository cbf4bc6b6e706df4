using SocketHub.Server.Chat;

namespace SocketHub.Server.Cluster.Chat;

/// <summary>
/// Who is in the room on the other nodes, for <c>whoelse</c>, <c>whoelsesince</c>, the
/// presence lines and a broadcast's "someone missed it". Arrivals and departures come as they
/// happen on the presence channel; every heartbeat the view is also rebuilt from the live nodes'
/// sets (<see cref="ClusterChatChannels.Online"/>), which drops the users of a node that died
/// (its registry entry and set expire with the node's TTL: that bounds how long they look online)
/// and mends what an outage of the channel lost. A change that came on the channel after a
/// rebuild's read began wins over that read, so a rebuild never undoes a newer arrival.
/// </summary>
public sealed class ClusterPresence(ChatRoom room, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _online = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastLeft = new(StringComparer.Ordinal);
    // The version of the last change of each user seen on the channel; see Rebuild.
    private readonly Dictionary<string, long> _changed = new(StringComparer.Ordinal);
    private long _version;

    /// <summary>Users in the room on other nodes now.</summary>
    public IReadOnlyCollection<string> Online()
    {
        lock (_lock)
        {
            return [.. _online.Keys];
        }
    }

    public bool IsOnline(string user)
    {
        lock (_lock)
        {
            return _online.ContainsKey(user);
        }
    }

    /// <summary>Users of other nodes online now or who left at or after <paramref name="from"/>.</summary>
    public IReadOnlyCollection<string> OnlineSince(DateTimeOffset from)
    {
        lock (_lock)
        {
            return [.. _online.Keys.Concat(_lastLeft.Where(left => left.Value >= from).Select(left => left.Key))];
        }
    }

    /// <summary>A change on the channel from another node; the users here are told.</summary>
    public void Changed(ClusterPresenceChange change)
    {
        lock (_lock)
        {
            _changed[change.User] = ++_version;
            if (change.In)
            {
                _online[change.User] = change.Node;
            }
            else
            {
                if (_online.TryGetValue(change.User, out var node) && node == change.Node)
                {
                    _online.Remove(change.User);
                }

                _lastLeft[change.User] = change.At;
            }
        }

        room.RemotePresence(change.User, change.In);
    }

    /// <summary>Marks the start of a rebuild: changes after this mark win over the rebuild's read.</summary>
    public long Mark()
    {
        lock (_lock)
        {
            return _version;
        }
    }

    /// <summary>
    /// Replaces the view with <paramref name="read"/> (user to node, the live nodes' sets read since
    /// <paramref name="mark"/>), except for users changed on the channel since; those who are gone
    /// are told to the users here as departures.
    /// </summary>
    public void Rebuild(long mark, IReadOnlyDictionary<string, string> read)
    {
        var gone = new List<string>();
        var now = time.GetUtcNow();
        lock (_lock)
        {
            foreach (var (user, _) in _online.ToList())
            {
                if (!read.ContainsKey(user) && !ChangedSince(user, mark))
                {
                    _online.Remove(user);
                    _lastLeft[user] = now;
                    gone.Add(user);
                }
            }

            foreach (var (user, node) in read)
            {
                if (!ChangedSince(user, mark))
                {
                    _online[user] = node;
                }
            }
        }

        foreach (var user in gone)
        {
            room.RemotePresence(user, arrived: false);
        }
    }

    private bool ChangedSince(string user, long mark) => _changed.TryGetValue(user, out var version) && version > mark;
}
