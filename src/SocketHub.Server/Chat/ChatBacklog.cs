using SocketHub.Protocol.Chat;
using SocketHub.Server.Data;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Chat;

/// <summary>
/// Delivers the messages stored for a user who logs in, a page at a time: the next page is read
/// only once the previous one has been written to the client, so the client's reading sets the
/// pace, memory stays at one page whatever the backlog, and the session's queue always has room
/// for live lines. A page is deleted once written (a session that ends halfway deletes exactly
/// the messages that were written), so nothing is deleted unseen and nothing comes twice. One
/// delivery per user at a time: a new login waits until the last one has deleted what it wrote.
/// </summary>
public sealed class ChatBacklog(ChatSettings settings, ChatAccounts accounts, ILogger<ChatBacklog> logger)
{
    private readonly ChatAccountTurns _deliveries = new();

    /// <summary>Stored messages read and queued at once; a small share of the outgoing queue.</summary>
    public int PageSize { get; } = Math.Clamp((settings.OutgoingQueueLimit ?? int.MaxValue) / 4, 1, 100);

    /// <summary>Waits until no earlier session of <paramref name="user"/> is still delivering; dispose to let the next one.</summary>
    public Task<ChatAccountTurns.Turn> WaitTurnAsync(string user, CancellationToken cancellationToken) =>
        _deliveries.WaitAsync(user, cancellationToken);

    /// <summary>The oldest page; on a database error none (they stay for the next login).</summary>
    public async Task<IReadOnlyList<ChatOfflineMessage>> FirstPageAsync(string user)
    {
        try
        {
            return await accounts.OfflinePageAsync(user, afterId: 0, PageSize);
        }
        catch (Exception e) when (!ClientGone.Is(e))
        {
            ChatLog.OfflineDeliveryFailed(logger, e, user);
            return [];
        }
    }

    public static ChatEvent Delivery(ChatOfflineMessage message) => ChatEvent.Direct(message.Sender, message.Text);

    /// <summary>
    /// With <paramref name="firstPage"/> already queued (with the welcome), waits for it to be
    /// written, deletes it, and goes on page by page until the store is empty or the session ends.
    /// Releases <paramref name="turn"/> at the end.
    /// </summary>
    public async Task DeliverAsync(ChatSession session, string user, IReadOnlyList<ChatOfflineMessage> firstPage, ChatAccountTurns.Turn turn)
    {
        using var _ = turn;
        var page = firstPage;
        var pageQueued = page.Count;
        long before = 0; // stored messages queued before this page
        try
        {
            while (page.Count > 0)
            {
                await session.WhenStoredWrittenAsync(before + pageQueued);

                // The page's messages up to what was written go; the rest stay stored.
                var written = (int)Math.Clamp(session.StoredWritten - before, 0, pageQueued);
                if (written > 0)
                {
                    await accounts.DeleteOfflineAsync(page.Take(written).Select(m => m.Id).ToList());
                }

                // The session ended, or nothing was left behind the last page read (nothing is
                // stored for a user while they are in the room).
                if (written < page.Count || page.Count < PageSize)
                {
                    return;
                }

                before += pageQueued;
                page = await accounts.OfflinePageAsync(user, page[^1].Id, PageSize);
                pageQueued = 0;
                foreach (var message in page)
                {
                    if (!await session.EnqueueStoredAsync(Delivery(message)))
                    {
                        break;
                    }

                    pageQueued++;
                }
            }
        }
        catch (Exception e) when (!ClientGone.Is(e))
        {
            // What was not deleted stays for the next login.
            ChatLog.OfflineDeliveryFailed(logger, e, user);
        }
    }
}
