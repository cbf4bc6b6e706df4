using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Chat;
using SocketHub.Server.Ops;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.Server.Tests.SecureChat;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

/// <summary>
/// What keeps the password hash from being turned against the server: login attempts and
/// registrations per address, the account cap, reserved names, and the order of the hashes.
/// </summary>
public sealed class ChatLoginLimitsTests
{
    private const string TooManyAttempts = "Error. Too many login attempts from your address; try again in a minute";
    private const string TooManyRegistrations = "Error. Too many new accounts from your address; try again later";
    private const string AccountsFull = "Error. The chat has reached its limit of accounts; no new account can be made";
    private const string Reserved = "Error. That username is reserved: it could pass for the server. Choose another";

    private static readonly IPAddress Elsewhere = TcpTestClient.Loopback(2);

    private readonly ManualTimeProvider _clock = new();

    private Task<TestServer> StartAsync(params string[] settings) =>
        TestServer.StartAsync(null, services => services.AddSingleton<TimeProvider>(_clock), ChatTestSettings.With(settings));

    private static async Task<TcpTestClient> AtPasswordPromptAsync(TestServer server, string user, IPAddress? from = null)
    {
        var client = from is null ? await TextChatUser.ConnectAsync(server) : await TcpTestClient.ConnectAsync(server.PortOf("chat"), from);
        Assert.Equal("Username: ", await client.ReadUntilAsync(": "));
        await client.SendAsync(user + "\n");
        Assert.Equal("Password: ", await client.ReadUntilAsync(": "));
        return client;
    }

    private static string JsonRefusal(string message) => $$$"""{"status": "unsuccessful", "data": {"message": "{{{message}}}"}}""";

    [Fact]
    public async Task Login_attempts_past_the_addresss_allowance_are_refused_on_every_port_without_checking_the_password()
    {
        await using var server = await StartAsync("Chat:LoginAttemptsPerMinute=3");
        await TextChatUser.RegisterAsync(server, "alice");

        // Two wrong passwords: the second and third attempts of this address.
        await using (var client = await AtPasswordPromptAsync(server, "alice"))
        {
            await client.SendAsync("wrong1\n");
            Assert.Equal("Invalid Password. Please try again\nPassword: ", await client.ReadUntilAsync(": "));
            await client.SendAsync("wrong2\n");
            Assert.Equal("Invalid Password. Please try again\nPassword: ", await client.ReadUntilAsync(": "));

            // A third wrong one would block the account, if it were checked.
            await client.SendAsync("wrong3\n");
            Assert.Equal(TooManyAttempts + "\n", await client.ReadToEndAsync());
        }

        await using (var json = await JsonChatUser.ConnectAsync(server))
        {
            await json.SendAsync(JsonChatUser.Request("login", "alice", "secret"));
            Assert.Equal(JsonRefusal(TooManyAttempts) + "\n", await json.ReadToEndAsync());
        }

        await using (var secure = await SecureChatTestClient.ConnectAsync(server.PortOf("secure-chat")))
        {
            Assert.Equal("FAILURE", await secure.TryLoginAsync("alice", "secret"));
            Assert.Empty(await secure.ReadToEndAsync());
        }

        // Another address has its own allowance.
        await using (var elsewhere = await AtPasswordPromptAsync(server, "bob", Elsewhere))
        {
            await elsewhere.SendAsync("secret\n");
            Assert.Equal(ChatTestSettings.Welcome, await elsewhere.ReadLineAsync());
        }

        // Three refusals, one line in the activity feed (and the log): a flood of refusals cannot push real events out.
        Assert.Single(server.App.Services.GetRequiredService<ActivityFeed>().Recent(), e => e.Text.Contains("login attempts a minute", StringComparison.Ordinal));

        // One attempt comes back every 20 s; the refused guess was never checked, so the account
        // has two wrong passwords, not three, and is not blocked.
        Assert.Equal(2, server.App.Services.GetRequiredService<ChatAccounts>().Statistics("alice")!.FailedLogins);
        _clock.Advance(TimeSpan.FromSeconds(20));
        await using var alice = await TextChatUser.LoginAsync(server, "alice");
    }

    [Fact]
    public async Task Registrations_past_the_addresss_allowance_are_refused_and_accounts_that_exist_still_log_in()
    {
        await using var server = await StartAsync("Chat:RegistrationsPerHour=2");
        await TextChatUser.RegisterAsync(server, "first");
        await TextChatUser.RegisterAsync(server, "second");

        await using (var client = await AtPasswordPromptAsync(server, "third"))
        {
            await client.SendAsync("secret\n");
            Assert.Equal(TooManyRegistrations + "\nUsername: ", await client.ReadUntilAsync("Username: "));
            await client.SendAsync("first\nsecret\n");
            Assert.Equal("Password: " + ChatTestSettings.Welcome + "\n", await client.ReadUntilAsync("\n"));
        }

        await using (var json = await JsonChatUser.ConnectAsync(server))
        {
            await json.SendAsync(JsonChatUser.Request("login", "third", "secret"));
            Assert.Equal(JsonRefusal(TooManyRegistrations), await json.ReadLineAsync());
            await json.SendAsync(JsonChatUser.Request("login", "second", "secret"));
            Assert.Equal(JsonChatUser.Welcome("second"), await json.ReadLineAsync());
        }

        Assert.False(server.App.Services.GetRequiredService<ChatAccounts>().Exists("third"));

        // Another address registers; this one may again after half an hour (two an hour).
        await using (var elsewhere = await AtPasswordPromptAsync(server, "third", Elsewhere))
        {
            await elsewhere.SendAsync("secret\n");
            Assert.Equal(ChatTestSettings.Welcome, await elsewhere.ReadLineAsync());
        }

        _clock.Advance(TimeSpan.FromMinutes(30));
        await using var fourth = await TextChatUser.LoginAsync(server, "fourth");
    }

    [Fact]
    public async Task The_account_cap_refuses_new_accounts_with_its_reason_and_existing_ones_log_in()
    {
        await using var server = await StartAsync("Chat:MaxAccounts=2");
        await TextChatUser.RegisterAsync(server, "first");
        await TextChatUser.RegisterAsync(server, "second");

        // The text port says so before asking for a password.
        await using (var client = await TextChatUser.ConnectAsync(server))
        {
            await client.SendAsync("third\n");
            Assert.Equal("Username: " + AccountsFull + "\nUsername: ", await client.ReadUntilAsync(AccountsFull + "\nUsername: "));
            await client.SendAsync("first\nsecret\n");
            Assert.Equal("Password: " + ChatTestSettings.Welcome + "\n", await client.ReadUntilAsync("\n"));
        }

        await using (var json = await JsonChatUser.ConnectAsync(server))
        {
            await json.SendAsync(JsonChatUser.Request("login", "third", "secret"));
            Assert.Equal(JsonRefusal(AccountsFull), await json.ReadLineAsync());
            await json.SendAsync(JsonChatUser.Request("login", "second", "secret"));
            Assert.Equal(JsonChatUser.Welcome("second"), await json.ReadLineAsync());
        }

        await using (var secure = await SecureChatTestClient.ConnectAsync(server.PortOf("secure-chat")))
        {
            Assert.Equal("FAILURE", await secure.TryLoginAsync("third", "secret"));
        }

        Assert.Equal(2, server.App.Services.GetRequiredService<ChatAccounts>().Count);
        Assert.Single(server.App.Services.GetRequiredService<ActivityFeed>().Recent(), e => e.Text.Contains("Chat:MaxAccounts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Names_that_pass_for_the_server_cannot_be_registered_but_an_existing_one_still_logs_in()
    {
        using var data = new TempDirectory();
        var file = Path.Combine(data.Path, "credentials.txt");
        await File.WriteAllTextAsync(file, "SERVER its-password\n", TestContext.Current.CancellationToken);
        await using var server = await TestServer.StartInAsync(data.Path, ChatTestSettings.With($"Chat:CredentialsFile={file}"));

        await using (var client = await TextChatUser.ConnectAsync(server))
        {
            Assert.Equal("Username: ", await client.ReadUntilAsync(": "));
            foreach (var name in new[] { "Server", "server", "s.e.r.v.e.r", "_System_", "SocketHub" })
            {
                await client.SendAsync(name + "\n");
                Assert.Equal(Reserved + "\nUsername: ", await client.ReadUntilAsync("Username: "));
            }

            await client.SendAsync("servers\nsecret\n");
            Assert.Equal("Password: " + ChatTestSettings.Welcome + "\n", await client.ReadUntilAsync("\n"));
        }

        await using (var json = await JsonChatUser.ConnectAsync(server))
        {
            await json.SendAsync(JsonChatUser.Request("login", "Server", "secret"));
            Assert.Equal(JsonRefusal(Reserved), await json.ReadLineAsync());
        }

        await using var existing = await TextChatUser.LoginAsync(server, "SERVER", "its-password");
    }

    [Fact]
    public async Task With_every_core_busy_the_owners_login_from_its_usual_address_is_checked_before_registrations_and_guesses()
    {
        await using var server = await StartAsync();
        await TextChatUser.RegisterAsync(server, "alice");
        await TextChatUser.RegisterAsync(server, "bob");
        var cores = server.App.Services.GetRequiredService<ChatPasswords>().Cores;
        var accounts = server.App.Services.GetRequiredService<ChatAccounts>();

        // The test takes every core, the one kept for returning users included.
        var held = new List<ChatHashCores.Slot>();
        for (var i = 0; i < cores.Slots; i++)
        {
            held.Add(await cores.WaitAsync("test", ChatHashLane.Returning));
        }

        var registrations = new List<TcpTestClient>();
        for (var i = 0; i < 3; i++)
        {
            var client = await AtPasswordPromptAsync(server, $"new{i}", TcpTestClient.Loopback(10 + i));
            await client.SendAsync("secret\n");
            registrations.Add(client);
            await cores.WhenWaitingAsync(i + 1);
        }

        // A guess at bob from another address than his last login waits with the registrations.
        await using var guess = await AtPasswordPromptAsync(server, "bob", Elsewhere);
        await guess.SendAsync("guess\n");
        await cores.WhenWaitingAsync(4);

        // alice, from where she registered, came last.
        await using var alice = await AtPasswordPromptAsync(server, "alice");
        await alice.SendAsync("secret\n");
        await cores.WhenWaitingAsync(5);

        // The test queues again behind alice, in her lane: once her check is done, the core comes
        // back to the test, not to a registration or the guess.
        var again = cores.WaitAsync("test", ChatHashLane.Returning);
        await cores.WhenWaitingAsync(6);
        held[0].Dispose();
        Assert.Equal(ChatTestSettings.Welcome, await alice.ReadLineAsync());
        held[0] = await again;

        Assert.Equal(4, cores.Waiting);
        Assert.All(registrations, (_, i) => Assert.False(accounts.Exists($"new{i}")));

        foreach (var slot in held)
        {
            slot.Dispose();
        }

        Assert.Equal("Invalid Password. Please try again", await guess.ReadLineAsync());
        foreach (var client in registrations)
        {
            Assert.Equal(ChatTestSettings.Welcome, await client.ReadLineAsync());
            await client.DisposeAsync();
        }
    }
}
