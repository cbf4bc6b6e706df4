using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Data;
using SocketHub.Server.Hosting;
using SocketHub.Server.Tests.SecureChat;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

/// <summary>Chat:HistoryOnJoin: the room's last lines, stored, replayed to a user who joins.</summary>
public sealed class ChatRoomLogTests
{
    private static readonly string[] Five = ["line 1", "line 2", "line 3", "line 4", "line 5"];

    [Fact]
    public async Task Off_by_default_a_joining_user_gets_only_the_welcome_and_nothing_is_stored()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var alice = await TextChatUser.LoginAsync(server, "alice");
        await BroadcastAsync(alice, Five);

        await using var bob = await TextChatUser.LoginAsync(server, "bob");
        await bob.ExpectNothingElseAsync();
        Assert.Equal(0, await CountAsync(server));
    }

    [Fact]
    public async Task A_joining_text_user_gets_the_last_lines_byte_for_byte_as_live_then_live_lines()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With("Chat:HistoryOnJoin=3"));
        await using var alice = await TextChatUser.LoginAsync(server, "alice");
        await using var carol = await TextChatUser.LoginAsync(server, "carol");
        await alice.ExpectAsync("carol logged in");
        await BroadcastAsync(alice, Five);
        var live = await carol.Client.ReadUntilAsync("line 5\n");

        await using var bob = await TextChatUser.LoginAsync(server, "bob");
        const string replay = "alice (broadcast): line 3\nalice (broadcast): line 4\nalice (broadcast): line 5\n";
        Assert.EndsWith(replay, live, StringComparison.Ordinal);
        Assert.Equal(replay, await bob.Client.ReadUntilAsync("line 5\n"));

        await alice.ExpectAsync("bob logged in");
        await alice.SendAsync("broadcast line 6");
        await bob.ExpectAsync("alice (broadcast): line 6");
        await bob.ExpectNothingElseAsync();
    }

    [Fact]
    public async Task A_joining_json_user_gets_the_last_lines_as_the_objects_a_live_broadcast_has()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With("Chat:HistoryOnJoin=3"));
        await using var alice = await TextChatUser.LoginAsync(server, "alice");
        await using var kim = await JsonChatUser.LoginAsync(server, "kim");
        await alice.ExpectAsync("kim logged in");
        await BroadcastAsync(alice, Five);
        var live = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            live.Add(await kim.ReadLineAsync());
        }

        await using var jane = await JsonChatUser.LoginAsync(server, "jane");
        string[] expected = [.. Five[2..].Select(Object)];
        Assert.Equal(expected, live[2..]);
        await jane.ExpectAsync(expected);

        await alice.SendAsync("broadcast line 6");
        await jane.ExpectAsync(Object("line 6"));
    }

    [Fact]
    public async Task A_joining_secure_chat_user_gets_the_last_lines_as_the_frames_a_live_broadcast_has()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With("Chat:HistoryOnJoin=3"));
        await using var alice = await TextChatUser.LoginAsync(server, "alice");
        await using var carol = await SecureChatUsers.LoginAsync(server, "carol");
        await alice.ExpectAsync("carol logged in");
        await BroadcastAsync(alice, "line 1", "line 2");
        string[] live = [await carol.ReceiveAsync(), await carol.ReceiveAsync()];
        Assert.Equal<string[]>(["alice: line 1\n", "alice: line 2\n"], live);

        await using var bob = await SecureChatUsers.LoginAsync(server, "bob");
        string[] replayed = [await bob.ReceiveAsync(), await bob.ReceiveAsync()];
        Assert.Equal<string[]>(live, replayed);
        await bob.ExpectNothingElseAsync();
    }

    [Fact]
    public async Task Lines_survive_a_restart()
    {
        using var data = new TempDirectory();
        await using (var first = await TestServer.StartInAsync(data.Path, ChatTestSettings.With("Chat:HistoryOnJoin=3")))
        {
            await using var alice = await TextChatUser.LoginAsync(first, "alice");
            await BroadcastAsync(alice, "before", "the restart");
        }

        await using var second = await TestServer.StartInAsync(data.Path, ChatTestSettings.With("Chat:HistoryOnJoin=3"));
        Assert.Equal(2, await CountAsync(second));
        await using var bob = await TextChatUser.LoginAsync(second, "bob");
        await bob.ExpectAsync("alice (broadcast): before", "alice (broadcast): the restart");
        await bob.ExpectNothingElseAsync();
    }

    [Fact]
    public async Task Retention_keeps_the_newest_lines_only()
    {
        using var data = new TempDirectory();
        string[] settings = ChatTestSettings.With("Chat:HistoryOnJoin=2", "Chat:RoomLogRetention=3");
        await using (var first = await TestServer.StartInAsync(data.Path, settings))
        {
            await using var alice = await TextChatUser.LoginAsync(first, "alice");
            await BroadcastAsync(alice, [.. Enumerable.Range(1, 8).Select(i => $"line {i}")]);
        }

        await using var second = await TestServer.StartInAsync(data.Path, settings);
        await using var db = await Contexts(second).CreateDbContextAsync(TestContext.Current.CancellationToken);
        var kept = await db.ChatRoomLines.OrderBy(l => l.Id).Select(l => l.Text).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["line 6", "line 7", "line 8"], kept);
    }

    [Fact]
    public async Task Private_messages_and_presence_are_not_in_the_log()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With("Chat:HistoryOnJoin=3"));
        await using var alice = await TextChatUser.LoginAsync(server, "alice");
        await using var carol = await TextChatUser.LoginAsync(server, "carol");
        await alice.ExpectAsync("carol logged in");
        await BroadcastAsync(alice, "public");
        await carol.ExpectAsync("alice (broadcast): public");
        await alice.SendAsync("message carol just for you");
        await carol.ExpectAsync("alice: just for you");
        await carol.LogoutAsync();
        await alice.ExpectAsync("carol logged out");

        await using var bob = await TextChatUser.LoginAsync(server, "bob");
        await bob.ExpectAsync("alice (broadcast): public");
        await bob.ExpectNothingElseAsync();
    }

    [Fact]
    public async Task A_joining_user_is_not_replayed_lines_of_a_sender_it_blocks()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With("Chat:HistoryOnJoin=3"));
        await TextChatUser.RegisterAsync(server, "alice");
        await using (var bob = await TextChatUser.LoginAsync(server, "bob"))
        {
            await bob.RoundTripAsync("block alice", "alice is blocked");
            await bob.LogoutAsync();
        }

        await using var alice = await TextChatUser.LoginAsync(server, "alice");
        await using var carol = await TextChatUser.LoginAsync(server, "carol");
        await alice.ExpectAsync("carol logged in");
        await BroadcastAsync(alice, "from alice");
        await carol.ExpectAsync("alice (broadcast): from alice");
        await BroadcastAsync(carol, "from carol");

        await using var again = await TextChatUser.LoginAsync(server, "bob");
        await again.ExpectAsync("carol (broadcast): from carol");
        await again.ExpectNothingElseAsync();
    }

    [Theory]
    [InlineData("Chat:HistoryOnJoin=-1", "Chat:HistoryOnJoin")]
    [InlineData("Chat:HistoryOnJoin=101", "Chat:HistoryOnJoin")]
    [InlineData("Chat:RoomLogRetention=0", "Chat:RoomLogRetention")]
    public async Task Bad_setting_stops_the_server_with_a_message_naming_the_key(string setting, string key)
    {
        using var data = new TempDirectory();
        var error = await Assert.ThrowsAsync<InvalidSettingsException>(() => TestServer.StartInAsync(data.Path, setting));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retention_below_history_on_join_is_refused()
    {
        using var data = new TempDirectory();
        var error = await Assert.ThrowsAsync<InvalidSettingsException>(
            () => TestServer.StartInAsync(data.Path, "Chat:HistoryOnJoin=5", "Chat:RoomLogRetention=4"));
        Assert.Contains("Chat:RoomLogRetention must be at least 1 and at least Chat:HistoryOnJoin (5)", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A live broadcast from alice on the JSON port.</summary>
    internal static string Object(string text) =>
        $$$"""{"status": "broadcast", "data": {"status": "broadcast", "sender": "alice", "message": "{{{text}}}"}}""";

    /// <summary>Broadcasts each line; the help round trip proves the server has handled them all.</summary>
    internal static async Task BroadcastAsync(TextChatUser user, params string[] lines)
    {
        foreach (var line in lines)
        {
            await user.SendAsync("broadcast " + line);
        }

        await user.ExpectNothingElseAsync();
    }

    private static IDbContextFactory<SocketHubDb> Contexts(TestServer server) =>
        server.App.Services.GetRequiredService<IDbContextFactory<SocketHubDb>>();

    private static async Task<int> CountAsync(TestServer server)
    {
        await using var db = await Contexts(server).CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await db.ChatRoomLines.CountAsync(TestContext.Current.CancellationToken);
    }
}
