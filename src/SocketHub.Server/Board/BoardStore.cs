using Microsoft.EntityFrameworkCore;
using SocketHub.Server.Data;

namespace SocketHub.Server.Board;

/// <summary>Reads the board. Writes go through <see cref="BoardPostWriter"/>.</summary>
public sealed class BoardStore(IDbContextFactory<SocketHubDb> contexts, BoardSettings settings)
{
    /// <summary>The newest <c>Board:MaxListed</c> messages above <paramref name="sinceId"/>, oldest first.</summary>
    public async Task<IReadOnlyList<(long Id, string Text)>> ListAsync(long? sinceId)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var query = db.BoardMessages.AsNoTracking();
        if (sinceId is { } since)
        {
            query = query.Where(m => m.Id > since);
        }

        var newest = await query
            .OrderByDescending(m => m.Id)
            .Take(settings.MaxListed)
            .Select(m => new { m.Id, m.Text })
            .ToListAsync();

        return newest.Select(m => (m.Id, m.Text)).Reverse().ToList();
    }

    public async Task<long> CountAsync()
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await db.BoardMessages.LongCountAsync();
    }
}
