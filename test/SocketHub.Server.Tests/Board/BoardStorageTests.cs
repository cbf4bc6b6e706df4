using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Data;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Board;

public sealed class BoardStorageTests
{
    [Fact]
    public async Task Messages_survive_a_restart_and_the_start_message_is_written_once()
    {
        using var data = new TempDirectory();
        await using (var first = await TestServer.StartInAsync(data.Path))
        {
            await using var client = await TcpTestClient.ConnectAsync(first.BoardPort);
            await client.SendAsync("POSTkept%\n");
            Assert.Equal("MSGPosting Message!%", await client.ReadRepliesAsync(1));
        }

        await using var second = await TestServer.StartInAsync(data.Path);
        await using var again = await TcpTestClient.ConnectAsync(second.BoardPort);
        await again.SendAsync("GET%\n");
        Assert.Equal("MSG[(1, 'Server has Started'), (2, 'kept')]%", await again.ReadRepliesAsync(1));
    }

    [Fact]
    public async Task Poster_address_and_time_are_stored()
    {
        await using var server = await TestServer.StartAsync();
        var before = DateTimeOffset.UtcNow;
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        await client.SendAsync("POSTwho%\n");
        await client.ReadRepliesAsync(1);

        var contexts = server.App.Services.GetRequiredService<IDbContextFactory<SocketHubDb>>();
        await using var db = await contexts.CreateDbContextAsync();
        var messages = await db.BoardMessages.OrderBy(m => m.Id).ToListAsync();
        Assert.Null(messages[0].Poster);
        Assert.Equal("who", messages[1].Text);
        Assert.Equal("127.0.0.1", messages[1].Poster);
        Assert.InRange(messages[1].PostedAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Database_uses_write_ahead_logging()
    {
        await using var server = await TestServer.StartAsync();
        var contexts = server.App.Services.GetRequiredService<IDbContextFactory<SocketHubDb>>();
        await using var db = await contexts.CreateDbContextAsync();
        var mode = await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync();
        Assert.Equal("wal", mode.Single());
    }

    [Fact]
    public async Task Clients_posting_at_once_all_get_their_messages_stored_with_distinct_ids()
    {
        const int clients = 16, postsEach = 25;
        await using var server = await TestServer.StartAsync("Board:PostBurst=1000", $"Board:MaxListed={(clients * postsEach) + 10}");

        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
            for (var i = 0; i < postsEach; i++)
            {
                await client.SendAsync($"POSTc{c}-m{i}%\n");
                Assert.Equal("MSGPosting Message!%", await client.ReadRepliesAsync(1));
            }
        }));

        await using var reader = await TcpTestClient.ConnectAsync(server.BoardPort);
        await reader.SendAsync("GET1%\n");
        var listed = await reader.ReadRepliesAsync(1);
        for (var c = 0; c < clients; c++)
        {
            for (var i = 0; i < postsEach; i++)
            {
                Assert.Contains($"'c{c}-m{i}'", listed, StringComparison.Ordinal);
            }
        }

        var contexts = server.App.Services.GetRequiredService<IDbContextFactory<SocketHubDb>>();
        await using var db = await contexts.CreateDbContextAsync();
        Assert.Equal((clients * postsEach) + 1, await db.BoardMessages.CountAsync());
        Assert.Equal((clients * postsEach) + 1, await db.BoardMessages.Select(m => m.Id).Distinct().CountAsync());
    }
}
