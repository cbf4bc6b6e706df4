using Microsoft.EntityFrameworkCore;
using SocketHub.Server.Data;

namespace SocketHub.Server.History;

/// <summary>Reads about the history for the instructor's views. Every request goes through <see cref="HistoryWriter"/>.</summary>
public sealed class HistoryStore(IDbContextFactory<SocketHubDb> contexts)
{
    public async Task<long> CountAsync()
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await db.HistoryLines.LongCountAsync();
    }

    /// <summary>How many usernames <c>new</c> has generated.</summary>
    public async Task<long> GeneratedUserCountAsync()
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await db.HistoryUsers.LongCountAsync();
    }
}
