using SocketHub.Server.Tests.Chat;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Postgres;

/// <summary>Chat:HistoryOnJoin on PostgreSQL: the room's lines stored there, replayed on join and after a restart.</summary>
public sealed class PostgresChatRoomLogTests
{
    [Fact]
    public async Task A_joining_user_gets_the_last_lines_then_live_ones_and_they_survive_a_restart()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        using var data = new TempDirectory();
        string[] settings = [.. ChatTestSettings.With("Chat:HistoryOnJoin=3", "Chat:RoomLogRetention=4"), .. database.Settings];
        const string Replay = "alice (broadcast): line 3\nalice (broadcast): line 4\nalice (broadcast): line 5\n";
        await using (var server = await TestServer.StartInAsync(data.Path, settings))
        {
            await using var alice = await TextChatUser.LoginAsync(server, "alice");
            await ChatRoomLogTests.BroadcastAsync(alice, "line 1", "line 2", "line 3", "line 4", "line 5");

            await using var bob = await TextChatUser.LoginAsync(server, "bob");
            Assert.Equal(Replay, await bob.Client.ReadUntilAsync("line 5\n"));
            await alice.ExpectAsync("bob logged in");
            await alice.SendAsync("broadcast line 6");
            await bob.ExpectAsync("alice (broadcast): line 6");
            await bob.ExpectNothingElseAsync();
        }

        await using var again = await TestServer.StartInAsync(data.Path, settings);
        await using var carol = await TextChatUser.LoginAsync(again, "carol");
        await carol.ExpectAsync("alice (broadcast): line 4", "alice (broadcast): line 5", "alice (broadcast): line 6");
        await carol.ExpectNothingElseAsync();
        Assert.Equal(4L, await database.ScalarAsync("SELECT count(*) FROM \"ChatRoomLines\""));
    }
}
