using Microsoft.Data.Sqlite;
using SocketHub.Server.Data;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

/// <summary>
/// Messages stored for an offline user: bounded per recipient, delivered in pages as the client
/// reads them, deleted only once written to it, each delivered once.
/// </summary>
public sealed class ChatBacklogTests
{
    /// <summary>Stores messages for <paramref name="recipient"/> straight into the database, as a long flood would have.</summary>
    private static void StoreDirectly(string dataDirectory, string recipient, int count, Func<int, string> text)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, DatabaseSetup.FileName),
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO ChatOfflineMessages (Recipient, Sender, Text, SentAt) VALUES ($recipient, 'alice', $text, '2026-01-01 00:00:00+00:00');";
        var to = insert.Parameters.Add("$recipient", SqliteType.Text);
        var body = insert.Parameters.Add("$text", SqliteType.Text);
        to.Value = recipient;
        for (var i = 0; i < count; i++)
        {
            body.Value = text(i);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    [Fact]
    public async Task A_backlog_longer_than_sqlite_can_list_in_one_query_is_delivered_once_and_in_order()
    {
        // SQLite takes at most 32,766 variables in one statement: more stored messages than that.
        const int stored = 40_000;
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await TextChatUser.RegisterAsync(server, "alice");
        await TextChatUser.RegisterAsync(server, "bob");
        StoreDirectly(server.DataDirectory, "bob", stored, i => $"m{i}");

        await using (var bob = await TextChatUser.LoginAsync(server, "bob"))
        {
            for (var i = 0; i < stored; i++)
            {
                Assert.Equal($"alice: m{i}", await bob.ReadLineAsync());
            }

            await bob.ExpectNothingElseAsync();
            await bob.LogoutAsync();
        }

        await using var again = await TextChatUser.LoginAsync(server, "bob");
        await again.ExpectNothingElseAsync();
    }

    [Fact]
    public async Task A_backlog_follows_a_slow_reader_past_the_login_time_and_live_messages_still_fit()
    {
        // Far more than the queue and the socket buffers hold, to a client that reads slowly;
        // meanwhile a live message arrives and the client sends a command.
        const int stored = 10_000;
        await using var server = await TestServer.StartAsync(ChatTestSettings.With("Chat:OutgoingQueueLimit=16", "Chat:LoginTimeoutSeconds=2"));
        await TextChatUser.RegisterAsync(server, "bob");
        await using var alice = await TextChatUser.LoginAsync(server, "alice");
        var filler = new string('x', 900);
        StoreDirectly(server.DataDirectory, "bob", stored, i => $"m{i} {filler}");

        await using (var client = await TcpTestClient.ConnectAsync(server.PortOf("chat"), receiveBufferSize: 4096))
        {
            await client.SendAsync("bob\nsecret\n");
            Assert.Equal("Username: Password: " + ChatTestSettings.Welcome, await client.ReadLineAsync());
            await alice.ExpectAsync("bob logged in");
            await alice.SendAsync("message bob live");
            await alice.ExpectNothingElseAsync();
            await client.SendAsync("whoelse\n");

            var next = 0;
            var live = false;
            var listed = false;
            while (next < stored || !live || !listed)
            {
                var line = await client.ReadLineAsync();
                switch (line)
                {
                    case "alice: live":
                        live = true;
                        break;
                    case "alice":
                        break;
                    case "End of list.":
                        listed = true;
                        break;
                    default:
                        Assert.Equal($"alice: m{next} {filler}", line);
                        next++;
                        break;
                }
            }

            await client.SendAsync("logout\n");
            Assert.Equal("Goodbye.\n", await client.ReadToEndAsync());
        }

        await using var again = await TextChatUser.LoginAsync(server, "bob");
        await again.ExpectNothingElseAsync();
    }

    [Fact]
    public async Task A_full_mailbox_refuses_the_next_message_and_tells_the_sender()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With("Chat:OfflineMessageLimit=3"));
        await TextChatUser.RegisterAsync(server, "bob");
        await using (var alice = await TextChatUser.LoginAsync(server, "alice"))
        {
            for (var i = 0; i < 3; i++)
            {
                await alice.SendAsync($"message bob m{i}");
            }

            await alice.RoundTripAsync("message bob m3", "Error. bob has too many stored messages; try again after they log in");
            await alice.LogoutAsync();
        }

        await using var bob = await TextChatUser.LoginAsync(server, "bob");
        await bob.ExpectAsync("alice: m0", "alice: m1", "alice: m2");
        await bob.ExpectNothingElseAsync();
    }
}
