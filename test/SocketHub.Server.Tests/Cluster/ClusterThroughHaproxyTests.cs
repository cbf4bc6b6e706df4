using System.Text.Json;
using SocketHub.Server.Tests.Chat;
using SocketHub.Server.Tests.Postgres;
using SocketHub.Server.Tests.Proxy;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Cluster;

/// <summary>
/// The deployment itself: three server processes on one PostgreSQL database and one Redis,
/// behind a real HAProxy in TCP mode (round robin, PROXY protocol v2, health checks). Users who
/// come in through HAProxy land on different nodes and share one room; when one node is killed
/// (SIGKILL) its users reconnect through HAProxy to the others, log in again once the dead node's
/// claims have expired, and are in the same room. Needs redis-server, haproxy and
/// <c>SOCKETHUB_TEST_POSTGRES</c>; skipped otherwise.
/// </summary>
public sealed class ClusterThroughHaproxyTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Three_nodes_behind_haproxy_are_one_room_and_survive_the_loss_of_one()
    {
        var connection = redis.Require();
        if (HaproxyProcess.Binary() is not { } haproxyBinary)
        {
            Assert.Skip("haproxy is not installed (apt-get install haproxy; .ci/run installs it).");
            return;
        }

        await using var database = await PostgresDatabase.CreateAsync();
        using var data = new TempDirectory();
        var nodes = new List<ServerProcess>();
        try
        {
            for (var i = 1; i <= 3; i++)
            {
                var folder = Path.Combine(data.Path, $"node{i}");
                Directory.CreateDirectory(folder);
                nodes.Add(await ServerProcess.StartAsync(folder, NodeSettings(connection, database, $"node{i}")));
            }

            await using var haproxy = await HaproxyProcess.StartAsync(haproxyBinary, [.. nodes.Select(node => node.PortOf("chat"))]);

            // Six users through HAProxy: round robin spreads them over the three nodes.
            var users = new List<TextChatUser>();
            for (var i = 0; i < 6; i++)
            {
                users.Add(await TextChatUser.LoginAsync(await TcpTestClient.ConnectAsync(haproxy.Port), $"user{i}"));
            }

            var where = await WhereAsync(nodes, users.Count);
            Assert.True(where.Values.Distinct().Count() > 1, "the users landed on more than one node");

            // Every arrival reaches every earlier user, wherever they are.
            for (var i = 0; i < users.Count; i++)
            {
                await users[i].ExpectAsync([.. Enumerable.Range(i + 1, users.Count - i - 1).Select(j => $"user{j} logged in")]);
            }

            await users[0].SendAsync("broadcast to all nodes");
            foreach (var user in users.Skip(1))
            {
                await user.ExpectAsync("user0 (broadcast): to all nodes");
            }

            // Kill the node user0 is on; its users' connections end, the others' go on.
            var doomed = where["user0"];
            nodes[doomed].Kill();
            var lost = users.Where(user => where[user.Name] == doomed).ToList();
            var kept = users.Except(lost).ToList();
            foreach (var user in lost)
            {
                await user.Client.ReadUntilClosedAsync();
                await user.DisposeAsync();
            }

            // They come back through HAProxy, which no longer sends anyone to the dead node; the
            // login is refused as "already logged in" until the dead node's claim expires.
            var back = new List<TextChatUser>();
            foreach (var user in lost)
            {
                back.Add(await LoginEventuallyAsync(haproxy.Port, user.Name));
            }

            var survivor = kept[0];
            await survivor.SendAsync("broadcast after the loss");
            foreach (var user in kept.Skip(1).Concat(back))
            {
                await ExpectEventuallyAsync(user, $"{survivor.Name} (broadcast): after the loss");
            }

            var others = users.Select(u => u.Name).Where(name => name != survivor.Name).Order(StringComparer.Ordinal).ToList();
            await Eventually.HoldsAsync(async () => (await WhoElseAsync(survivor)).SequenceEqual(others), Deadline, "whoelse listing every other user again");

            foreach (var user in kept.Concat(back))
            {
                await user.DisposeAsync();
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    /// <summary>Which node (index) each user is on, from the nodes' /audit, once all are counted.</summary>
    private static async Task<Dictionary<string, int>> WhereAsync(List<ServerProcess> nodes, int expected)
    {
        var where = new Dictionary<string, int>();
        await Eventually.HoldsAsync(async () =>
        {
            where.Clear();
            for (var i = 0; i < nodes.Count; i++)
            {
                using var http = OpsClient(nodes[i].OpsPort);
                using var audit = JsonDocument.Parse(await http.GetStringAsync("/audit"));
                foreach (var user in audit.RootElement.GetProperty("chat").GetProperty("online").EnumerateArray())
                {
                    where[user.GetString()!] = i;
                }
            }

            return where.Count == expected;
        }, Deadline, $"{expected} users in the nodes' audits");
        return where;
    }

    /// <summary>
    /// An HTTP client for a node's ops port from another loopback address than HAProxy's: every
    /// connection from a trusted proxy's address must start with a PROXY header, this one's too.
    /// </summary>
    private static HttpClient OpsClient(int port)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                try
                {
                    socket.Bind(new System.Net.IPEndPoint(TcpTestClient.Loopback(41), 0));
                    await socket.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    private static async Task<TextChatUser> LoginEventuallyAsync(int port, string name)
    {
        TextChatUser? user = null;
        await Eventually.HoldsAsync(async () =>
        {
            var client = await TcpTestClient.ConnectAsync(port);
            try
            {
                user = await TextChatUser.LoginAsync(client, name);
                return true;
            }
            catch (Exception e) when (e is IOException or Xunit.Sdk.XunitException)
            {
                await client.DisposeAsync();
                return false;
            }
        }, Deadline, $"{name} logged in again through haproxy");
        return user!;
    }

    /// <summary><c>whoelse</c>'s list; presence lines that come in meanwhile are skipped.</summary>
    internal static async Task<List<string>> WhoElseAsync(TextChatUser user)
    {
        await user.SendAsync("whoelse");
        var names = new List<string>();
        for (var line = await user.ReadLineAsync(); line != "End of list."; line = await user.ReadLineAsync())
        {
            if (!line.EndsWith(" logged in", StringComparison.Ordinal) && !line.EndsWith(" logged out", StringComparison.Ordinal))
            {
                names.Add(line);
            }
        }

        return names;
    }

    /// <summary>Reads lines until <paramref name="line"/>: presence lines of the reconnections may come first.</summary>
    private static async Task ExpectEventuallyAsync(TextChatUser user, string line)
    {
        while (await user.ReadLineAsync() != line)
        {
        }
    }

    private static string[] NodeSettings(string redis, PostgresDatabase database, string name) => ChatTestSettings.With(
        "Storage:Provider=Postgres",
        $"ConnectionStrings:SocketHub={database.ConnectionString};Maximum Pool Size=6",
        "Chat:Backplane=redis",
        $"ConnectionStrings:Redis={redis}",
        $"Cluster:NodeId={name}-{Guid.NewGuid():n}"[..24],
        "Cluster:HeartbeatSeconds=0.25",
        "Cluster:NodeTtlSeconds=2",
        "Cluster:SessionTtlSeconds=2",
        "Listen:TrustedProxies=127.0.0.1");
}
