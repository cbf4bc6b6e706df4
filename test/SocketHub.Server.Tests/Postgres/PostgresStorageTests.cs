using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Chat;
using SocketHub.Server.Data;
using SocketHub.Server.Tests.Chat;
using SocketHub.Server.Tests.History;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Postgres;

/// <summary>
/// The real server with <c>Storage:Provider=Postgres</c>, each test on a database of its own:
/// the migration on an empty database, and every store keeping what it acknowledged across a
/// restart (or a kill).
/// </summary>
public sealed class PostgresStorageTests
{
    private const string Posted = "MSGPosting Message!%";

    [Fact]
    public async Task The_migration_creates_the_schema_in_an_empty_database_and_the_board_starts_with_its_first_message()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var server = await TestServer.StartAsync(database.Settings);

        await using (var db = await server.App.Services.GetRequiredService<IDbContextFactory<SocketHubDb>>().CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            Assert.IsType<PostgresSocketHubDb>(db);
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken));
            Assert.Contains(db.Database.GetMigrations(), id => id.EndsWith("_CreateSchema", StringComparison.Ordinal));

            // None of SQLite's migrations: they belong to the other context.
            Assert.DoesNotContain("20261121000000_CreateBoard", db.Database.GetMigrations());
        }

        Assert.Equal(
            "public.BoardMessages public.ChatAccounts public.ChatBlocks public.ChatOfflineMessages public.ChatRoomLines public.HistoryLines public.HistoryUsers public.__EFMigrationsHistory",
            await database.ScalarAsync("SELECT string_agg(schemaname || '.' || tablename, ' ' ORDER BY tablename COLLATE \"C\") FROM pg_tables WHERE schemaname = 'public'"));

        await using var board = await TcpTestClient.ConnectAsync(server.BoardPort);
        await board.SendAsync("GET%");
        Assert.Equal("MSG[(1, 'Server has Started')]%", await board.ReadRepliesAsync(1));
    }

    [Fact]
    public async Task Acknowledged_board_posts_are_listed_after_the_server_is_killed_and_started_again()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        using var data = new TempDirectory();
        await using (var server = await ServerProcess.StartAsync(data.Path, database.Settings))
        {
            await using var board = await TcpTestClient.ConnectAsync(server.BoardPort);
            foreach (var text in new[] { "first", "second, ünïcode", "third" })
            {
                await board.SendAsync($"POST{text}%\n"); // a line end keeps the session
                Assert.Equal(Posted, await board.ReadRepliesAsync(1));
            }

            // No stop, no drain: what was acknowledged must already be committed.
            server.Kill();
            await server.WaitForExitAsync();
        }

        await using var again = await TestServer.StartInAsync(data.Path, database.Settings);
        await using var reader = await TcpTestClient.ConnectAsync(again.BoardPort);
        await reader.SendAsync("GET%");
        Assert.Equal("MSG[(1, 'Server has Started'), (2, 'first'), (3, 'second, ünïcode'), (4, 'third')]%", await reader.ReadRepliesAsync(1));
        Assert.Equal(4, await again.App.Services.GetRequiredService<SocketHub.Server.Board.BoardStore>().CountAsync());
    }

    [Fact]
    public async Task History_lines_and_generated_users_are_written_read_deleted_and_kept()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        using var data = new TempDirectory();
        string[] settings = ["History:Users:0=alice", .. database.Settings];
        string user;
        await using (var server = await TestServer.StartInAsync(data.Path, settings))
        {
            user = System.Text.RegularExpressions.Regex.Match(await server.AskAsync("new\n"), "u-[a-z0-9]{10}").Value;
            Assert.NotEmpty(user);
            Assert.Equal(HistoryWire.Head(), await server.AskAsync($"{user}\n"));
            await server.AskAsync($"{user} 1 1\n"); // deletes the "new" line

            var shown = await server.ShowAsync();
            Assert.Equal(4, shown.Length);
            Assert.Matches(HistoryWire.RequestLine(user), shown[0]);
            Assert.Matches(HistoryWire.RequestLine(user), shown[1]);
            Assert.Matches(HistoryWire.DeletedLine(user, "1"), shown[2]);
            Assert.Matches(HistoryWire.RequestLine("alice"), shown[3]);
            Assert.Equal(5, await server.CountAsync()); // and the "got history" line after the listing
        }

        await using var again = await TestServer.StartInAsync(data.Path, settings);
        Assert.Equal(5, await again.CountAsync());
        Assert.Equal(1, await again.App.Services.GetRequiredService<SocketHub.Server.History.HistoryStore>().GeneratedUserCountAsync());
        var listing = await again.ShowAsync(user); // the generated user still works
        Assert.Equal(6, listing.Length);
        Assert.Matches(HistoryWire.GotHistoryLine("alice"), listing[4]);
        Assert.Matches(HistoryWire.RequestLine(user), listing[5]);
    }

    [Fact]
    public async Task Chat_accounts_blocks_and_an_offline_message_outlive_a_restart()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        using var data = new TempDirectory();
        string[] settings = [.. ChatTestSettings.With(), .. database.Settings];
        await using (var server = await TestServer.StartInAsync(data.Path, settings))
        {
            await TextChatUser.RegisterAsync(server, "ada", "lovelace");
            await TextChatUser.RegisterAsync(server, "linus", "torvalds");
            await using var grace = await TextChatUser.LoginAsync(server, "grace", "hopper");
            await grace.SendAsync("message ada see you next time");
            await grace.RoundTripAsync("block linus", "linus is blocked");
            await grace.ExpectNothingElseAsync(); // both commands done: the message is stored
        }

        await using var again = await TestServer.StartInAsync(data.Path, settings);
        await using (var wrong = await TextChatUser.ConnectAsync(again))
        {
            await wrong.SendAsync("ada\nhopper\n");
            await wrong.ReadUntilAsync("Invalid Password");
        }

        await using (var ada = await TextChatUser.LoginAsync(again, "ada", "lovelace"))
        {
            await ada.ExpectAsync("grace: see you next time");
            await ada.ExpectNothingElseAsync();
            await ada.LogoutAsync();
        }

        // Delivered once: deleted from the database.
        await using (var ada = await TextChatUser.LoginAsync(again, "ada", "lovelace"))
        {
            await ada.ExpectNothingElseAsync();
        }

        await using var linus = await TextChatUser.LoginAsync(again, "linus", "torvalds");
        await linus.RoundTripAsync("message grace hi", "Your message could not be delivered as the recipient has blocked you");
    }

    [Fact]
    public async Task Chat_statistics_written_behind_read_back_the_same_after_a_restart()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        using var data = new TempDirectory();
        var clock = new ManualTimeProvider();
        // PostgreSQL keeps microseconds (a tick is a tenth of one): a login time it can hold exactly.
        clock.Advance(TimeSpan.FromTicks(1_234_560));
        ChatUserStatistics alice, bob;
        await using (var server = await StartAsync(data.Path, clock, database))
        {
            (alice, bob) = await ChatStatisticsScenario.RunAsync(server, "two");
            Assert.Equal(new ChatUserStatistics("alice", 1, 1, 1, 1, 1, clock.GetUtcNow(), "127.0.0.1"), alice);
        }

        // The statement wrote the rows themselves (the stop's last pass).
        Assert.Equal("1 1 1 1 1 127.0.0.1", await database.ScalarAsync(
            "SELECT concat_ws(' ', \"Logons\", \"Logoffs\", \"MessagesSent\", \"BroadcastsSent\", \"FailedLogins\", \"LastLoginAddress\") FROM \"ChatAccounts\" WHERE \"Username\" = 'alice'"));

        await using (var server = await StartAsync(data.Path, clock, database))
        {
            var audit = server.App.Services.GetRequiredService<ChatAudit>();
            Assert.Equal(alice, audit.User("alice"));
            Assert.Equal(bob with { Logoffs = 1 }, audit.User("bob"));
        }
    }

    private static Task<TestServer> StartAsync(string data, ManualTimeProvider clock, PostgresDatabase database) =>
        TestServer.StartAsync(data, services => services.AddSingleton<TimeProvider>(clock), [.. ChatTestSettings.With(), .. database.Settings]);
}
