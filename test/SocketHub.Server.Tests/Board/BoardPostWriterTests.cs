using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Board;
using SocketHub.Server.Data;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Board;

/// <summary>The writer's multi-row inserts: each poster learns its own row's id, and rows are stored as EF stores them.</summary>
public sealed class BoardPostWriterTests
{
    [Fact]
    public async Task Each_post_of_a_large_batch_gets_the_id_of_its_own_row()
    {
        await using var server = await TestServer.StartAsync();
        var writer = server.App.Services.GetRequiredService<BoardPostWriter>();

        // More than one statement's rows at once, so that batches span several statements.
        var texts = Enumerable.Range(0, (BoardInsert.RowsPerStatement * 3) + 5).Select(i => $"post {i}").ToArray();
        var ids = await Task.WhenAll(texts.Select(text => writer.PostAsync(text, "192.0.2.7")));

        var contexts = server.App.Services.GetRequiredService<IDbContextFactory<SocketHubDb>>();
        await using var db = await contexts.CreateDbContextAsync();
        var stored = await db.BoardMessages.Where(m => m.Poster == "192.0.2.7").ToDictionaryAsync(m => m.Id, m => m.Text);
        Assert.Equal(texts.Length, stored.Count);
        Assert.Equal(texts.Length, ids.Distinct().Count());
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(texts[i], stored[ids[i]]);
        }
    }

    [Fact]
    public async Task A_post_is_stored_in_the_columns_formats_of_the_model()
    {
        using var data = new TempDirectory();
        await using (var server = await TestServer.StartInAsync(data.Path))
        {
            var writer = server.App.Services.GetRequiredService<BoardPostWriter>();
            await writer.PostAsync("it's \"quoted\" – ünïcode 🎉", poster: null);
        }

        // The raw column text, as SQLite holds it: the time in EF's DateTimeOffset format, as the
        // first message's (written by the migration) is; the text exactly as posted.
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data.Path, DatabaseSetup.FileName)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Text, PostedAt, Poster, typeof(PostedAt) FROM BoardMessages ORDER BY Id DESC LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("it's \"quoted\" – ünïcode 🎉", reader.GetString(0));
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,7})?\+00:00$", reader.GetString(1));
        Assert.True(reader.IsDBNull(2));
        Assert.Equal("text", reader.GetString(3));
    }
}
