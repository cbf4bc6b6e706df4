using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Data;
using SocketHub.Server.Tests.Chat;
using SocketHub.Server.Tests.History;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Data;

public sealed class DatabaseUpgradeTests
{
    /// <summary>
    /// Made by the release before the stock SQLite provider and the model snapshot (EF Core 10.0.14
    /// on SQLitePCLRaw 2.0.6): two board posts, a history user and its two lines, chat accounts
    /// ada/lovelace, grace/hopper and linus/torvalds, grace blocking linus, and grace's offline
    /// message to ada.
    /// </summary>
    private static readonly string EarlierDatabase = Path.Combine(AppContext.BaseDirectory, "Data", "TestData", "sockethub-before-snapshot.db");

    [Fact]
    public async Task A_database_from_the_earlier_release_opens_upgrades_and_keeps_its_data()
    {
        var data = TestServer.NewDataDirectory();
        try
        {
            File.Copy(EarlierDatabase, Path.Combine(data, DatabaseSetup.FileName));

            await using (var server = await TestServer.StartInAsync(data, ChatTestSettings.FastHashing))
            {
                await using (var db = await server.App.Services.GetRequiredService<IDbContextFactory<SocketHubDb>>().CreateDbContextAsync(TestContext.Current.CancellationToken))
                {
                    // Every migration this build knows is applied, the earlier ones by their old ids.
                    Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken));
                    Assert.Contains("20261121300000_CreateChat", db.Database.GetMigrations());
                    Assert.Equal("u-zmw53ei5s5", (await db.HistoryUsers.SingleAsync(TestContext.Current.CancellationToken)).Name);
                }

                await using (var board = await TcpTestClient.ConnectAsync(server.BoardPort))
                {
                    await board.SendAsync("GET%\n"); // a line end keeps the session for the post
                    var list = await board.ReadRepliesAsync(1);
                    Assert.Contains("'kept from the previous release'", list, StringComparison.Ordinal);
                    Assert.Contains("'second post, ünïcode'", list, StringComparison.Ordinal);
                    await board.SendAsync("POSTafter the upgrade%");
                    Assert.Equal("MSGPosting Message!%", await board.ReadRepliesAsync(1));
                }

                // The generated history user still works, and the old lines are listed.
                Assert.Contains("{'127.0.0.1': 'new 2026-12-02 07:08:44.353476'}", await server.AskAsync("u-zmw53ei5s5 2\n"), StringComparison.Ordinal);

                // The old password hashes still verify, and the offline message is delivered.
                await using var ada = await TextChatUser.LoginAsync(server, "ada", "lovelace");
                await ada.ExpectAsync("grace: see you next time");
                await using var linus = await TextChatUser.LoginAsync(server, "linus", "torvalds");
                await linus.RoundTripAsync("message grace hi", "Your message could not be delivered as the recipient has blocked you");
            }

            // And it opens again after the upgrade, with the new post kept.
            await using var again = await TestServer.StartInAsync(data, ChatTestSettings.FastHashing);
            await using var reader = await TcpTestClient.ConnectAsync(again.BoardPort);
            await reader.SendAsync("GET%");
            Assert.Contains("'after the upgrade'", await reader.ReadRepliesAsync(1), StringComparison.Ordinal);
        }
        finally
        {
            TestServer.TryDelete(data);
        }
    }

    [Fact]
    public void The_model_matches_the_migrations_model_snapshot()
    {
        // Fails when an entity or its mapping changed without "dotnet ef migrations add" (the
        // snapshot is what the next migration is computed against, and Migrate() refuses to run
        // with pending model changes).
        using var db = new SocketHubDb(new DbContextOptionsBuilder<SocketHubDb>().UseSqlite("Data Source=:memory:").Options);
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes no migration covers: run 'dotnet ef migrations add <Name> --project src/SocketHub.Server --context SocketHubDb --output-dir Data/Migrations'.");
    }
}
