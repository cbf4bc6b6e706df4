using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Chat;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

/// <summary>Shutdown, restarts, time-based lists and the statistics kept for /audit.</summary>
public sealed class ChatLifeTests
{
    private const string ShuttingDown = "SERVER: [ ALERT ] Server shutting down...";

    [Fact]
    public async Task Stopping_the_server_tells_every_user_and_closes()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var alice = await TextChatUser.LoginAsync(server, "alice");
        await using var jane = await JsonChatUser.LoginAsync(server, "jane");
        await alice.ExpectAsync("jane logged in");
        await using var halfway = await TextChatUser.ConnectAsync(server);
        Assert.Equal("Username: ", await halfway.ReadUntilAsync(": "));

        var aliceEnd = alice.Client.ReadToEndAsync();
        var janeEnd = jane.Client.ReadToEndAsync();
        var halfwayEnd = halfway.ReadToEndAsync();
        await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(ShuttingDown + "\n", await aliceEnd);
        Assert.Equal($$$"""{"status": "serverMessage", "data": {"message": "{{{ShuttingDown}}}"}}""" + "\n", await janeEnd);
        Assert.Equal(ShuttingDown + "\n", await halfwayEnd);
    }

    [Fact]
    public async Task Accounts_blocks_and_offline_messages_survive_a_restart()
    {
        using var data = new TempDirectory();
        await using (var server = await TestServer.StartInAsync(data.Path, ChatTestSettings.With()))
        {
            await TextChatUser.RegisterAsync(server, "carol", "carols");
            await using var alice = await TextChatUser.LoginAsync(server, "alice", "alices");
            await using var bob = await TextChatUser.LoginAsync(server, "bob", "bobs");
            await alice.ExpectAsync("bob logged in");
            await alice.RoundTripAsync("block bob", "bob is blocked");
            await bob.SendAsync("message carol kept for later");
            await bob.ExpectNothingElseAsync();
        }

        await using (var server = await TestServer.StartInAsync(data.Path, ChatTestSettings.With()))
        {
            await using var carol = await TextChatUser.LoginAsync(server, "carol", "carols");
            await carol.ExpectAsync("bob: kept for later");
            await using var bob = await TextChatUser.LoginAsync(server, "bob", "bobs");
            await carol.ExpectAsync("bob logged in");
            await bob.RoundTripAsync("message alice hi", "Your message could not be delivered as the recipient has blocked you");

            await using var wrong = await TextChatUser.ConnectAsync(server);
            await wrong.SendAsync("alice\nnot-alices\n");
            Assert.Equal("Username: Password: Invalid Password. Please try again\nPassword: ", await wrong.ReadUntilAsync("Password: Invalid Password. Please try again\nPassword: "));
        }

        await using (var server = await TestServer.StartInAsync(data.Path, ChatTestSettings.With()))
        {
            // Delivered once: not again after another restart.
            await using var carol = await TextChatUser.LoginAsync(server, "carol", "carols");
            await carol.ExpectNothingElseAsync();
            var stats = server.App.Services.GetRequiredService<ChatAudit>().User("carol")!;
            Assert.Equal(3, stats.Logons);
            Assert.Equal(2, stats.Logoffs);
        }
    }

    [Fact]
    public async Task Whoelsesince_counts_overlapping_logins_on_the_server_clock()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(null, services => services.AddSingleton<TimeProvider>(clock), ChatTestSettings.With());
        await using var alice = await TextChatUser.LoginAsync(server, "alice");
        var bob = await TextChatUser.LoginAsync(server, "bob");
        await alice.ExpectAsync("bob logged in");
        clock.Advance(TimeSpan.FromSeconds(10));
        await bob.LogoutAsync();
        await alice.ExpectAsync("bob logged out");
        await bob.DisposeAsync();

        clock.Advance(TimeSpan.FromSeconds(100));
        await using var carol = await TextChatUser.LoginAsync(server, "carol");
        await alice.ExpectAsync("carol logged in");

        await alice.RoundTripAsync("whoelsesince 99", "carol", "End of list.");
        await alice.RoundTripAsync("whoelsesince 100", "bob", "carol", "End of list.");
        await alice.RoundTripAsync("whoelsesince 0", "carol", "End of list.");
        await carol.RoundTripAsync("whoelsesince 1000", "alice", "bob", "End of list.");
    }

    [Fact]
    public async Task Statistics_for_the_audit_count_what_each_user_did()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(null, services => services.AddSingleton<TimeProvider>(clock), ChatTestSettings.With());
        var alice = await TextChatUser.LoginAsync(server, "alice");
        await using var bob = await TextChatUser.LoginAsync(server, "bob");
        await alice.ExpectAsync("bob logged in");
        await alice.SendAsync("message bob one");
        await alice.SendAsync("message bob two");
        await alice.SendAsync("broadcast three");
        await bob.ExpectAsync("alice: one", "alice: two", "alice (broadcast): three");
        await alice.LogoutAsync();
        await bob.ExpectAsync("alice logged out");
        await alice.DisposeAsync();

        for (var i = 0; i < 3; i++)
        {
            await using var client = await TextChatUser.ConnectAsync(server);
            await client.SendAsync("alice\nwrong\n");
            await client.ReadUntilAsync("Invalid Password");
        }

        var audit = server.App.Services.GetRequiredService<ChatAudit>().Snapshot();
        Assert.Equal(["bob"], audit.OnlineUsers);
        Assert.Equal(2, audit.Accounts);
        Assert.Equal(["alice"], audit.LockoutsInForce.Select(l => l.User));
        Assert.Equal(3, audit.FailedLogins);
        var stats = audit.Users.Single(u => u.User == "alice");
        Assert.Equal(new ChatUserStatistics("alice", 1, 1, 2, 1, 3, clock.GetUtcNow(), "127.0.0.1"), stats);
    }
}
