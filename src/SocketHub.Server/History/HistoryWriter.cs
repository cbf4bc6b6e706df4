using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SocketHub.Protocol.History;
using SocketHub.Server.Data;
using SocketHub.Server.Ops;

namespace SocketHub.Server.History;

/// <summary>
/// The one path that writes the history. Every request is applied here, in order: its log line
/// is appended, then its operation runs against the history as it stands right after that append,
/// in the same transaction. One loop applies the requests one after another, so a delete and an
/// append never interleave and line numbers always come from one consistent state. Requests that
/// arrive together share one transaction (a <see cref="GroupCommitter{TItem, TResult}"/>); each
/// requester learns its result only after that transaction has committed, and a transaction that
/// fails is tried again request by request, so one request cannot sink the others.
/// Disposed after the server has stopped, it drains the queue first.
/// </summary>
public sealed class HistoryWriter : IAsyncDisposable
{
    private const int MaxBatch = 64;
    private const string NameAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const int NameLength = 10;

    private readonly IDbContextFactory<SocketHubDb> _contexts;
    private readonly StoredCounts _counts;
    private readonly HistorySettings _settings;
    private readonly HashSet<string> _configuredUsers;
    private readonly TimeProvider _time;
    private readonly ILogger<HistoryWriter> _logger;
    private readonly GroupCommitter<Pending, HistoryResponse> _committer;

    public HistoryWriter(
        IDbContextFactory<SocketHubDb> contexts, StoredCounts counts, HistorySettings settings, TimeProvider time, ILogger<HistoryWriter> logger)
    {
        _contexts = contexts;
        _counts = counts;
        _settings = settings;
        _configuredUsers = new HashSet<string>(settings.Users, StringComparer.Ordinal);
        _time = time;
        _logger = logger;
        _committer = new GroupCommitter<Pending, HistoryResponse>(CommitAsync, MaxBatch, retryAloneOnFailure: true);
    }

    /// <summary>Logs the request, carries out its operation, and completes once both are committed.</summary>
    public Task<HistoryResponse> HandleAsync(HistoryRequest request, string remote) => _committer.SubmitAsync(new Pending(request, remote));

    public ValueTask DisposeAsync() => _committer.DisposeAsync();

    /// <summary>A fresh name: <c>u-</c> and 10 letters and digits from a cryptographic source (about 51 bits).</summary>
    internal static string NewName() => "u-" + RandomNumberGenerator.GetString(NameAlphabet, NameLength);

    /// <summary>Applies a batch of requests in one transaction; their responses, in order, once it has committed.</summary>
    private async Task<IReadOnlyList<HistoryResponse>> CommitAsync(IReadOnlyList<Pending> batch)
    {
        var responses = new List<HistoryResponse>(batch.Count);
        var change = new HistoryLineCountChange();
        try
        {
            await using var db = await _contexts.CreateDbContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var pending in batch)
            {
                responses.Add(await ApplyAsync(db, pending, change));
                db.ChangeTracker.Clear();
            }

            await transaction.CommitAsync();
        }
        catch (Exception e)
        {
            HistoryLog.WriteFailed(_logger, e, batch.Count);
            throw;
        }

        _counts.HistoryChanged(change);
        return responses;
    }

    private async Task<HistoryResponse> ApplyAsync(SocketHubDb db, Pending pending, HistoryLineCountChange change)
    {
        var (request, remote) = pending;
        var now = _time.GetLocalNow();
        await AppendAsync(db, HistoryLogLine.Request(remote, request.User, now), now, change);

        switch (request.Op)
        {
            case HistoryOp.NotUtf8:
                return HistoryResponse.Line(HistoryReplies.InvalidEncoding);
            case HistoryOp.NewUser:
                return HistoryResponse.Line(HistoryReplies.YourUsername(await CreateUserAsync(db, remote, now)), isError: false);
            case HistoryOp.NewWithExtraWords:
                return HistoryResponse.Line(HistoryReplies.NewMustBeAlone);
        }

        if (!await IsKnownAsync(db, request.User))
        {
            return HistoryResponse.Line(HistoryReplies.AuthenticationError);
        }

        return request.Op switch
        {
            HistoryOp.None => HistoryResponse.ForUser(string.Empty),
            HistoryOp.DeleteLine => await DeleteLineAsync(db, pending, now, change),
            HistoryOp.Show => await ShowAsync(db, pending, change),
            HistoryOp.DeleteAll => await DeleteAllAsync(db, request.User, change),
            _ => HistoryResponse.ForUser(HistoryReplies.InvalidOperation, isError: true),
        };
    }

    private static async Task AppendAsync(SocketHubDb db, string text, DateTimeOffset now, HistoryLineCountChange change)
    {
        db.HistoryLines.Add(new HistoryLine { Text = text, LoggedAt = now.ToUniversalTime() });
        await db.SaveChangesAsync();
        change.Appended();
    }

    private async Task<bool> IsKnownAsync(SocketHubDb db, string user) =>
        user.Length > 0 && (_configuredUsers.Contains(user) || await db.HistoryUsers.AnyAsync(u => u.Name == user));

    private async Task<string> CreateUserAsync(SocketHubDb db, string remote, DateTimeOffset now)
    {
        string name;
        do
        {
            name = NewName();
        }
        while (_configuredUsers.Contains(name) || await db.HistoryUsers.AnyAsync(u => u.Name == name));

        db.HistoryUsers.Add(new HistoryUser { Name = name, CreatedAt = now.ToUniversalTime(), CreatedBy = remote });
        await db.SaveChangesAsync();
        return name;
    }

    /// <summary>
    /// Operation 1, as the original did it: line n goes if there is one (any integer is accepted;
    /// 0, a negative n or one past the end deletes nothing), then the connection's dict is logged
    /// again with the user's entry added, and the answer is the same either way.
    /// </summary>
    private static async Task<HistoryResponse> DeleteLineAsync(SocketHubDb db, Pending pending, DateTimeOffset requestTime, HistoryLineCountChange change)
    {
        var (request, remote) = pending;
        if (request.LineText is not { } typed)
        {
            return HistoryResponse.ForUser(HistoryReplies.NeedsLineNumber, isError: true);
        }

        if (request.Line is not { } line)
        {
            return HistoryResponse.ForUser(HistoryReplies.NotALineNumber(typed), isError: true);
        }

        // Line n is the n-th row in id order; past the end there is none (no count needed).
        var id = line is >= 1 and <= int.MaxValue
            ? await db.HistoryLines.OrderBy(l => l.Id).Skip((int)(line - 1)).Select(l => (long?)l.Id).FirstOrDefaultAsync()
            : null;
        if (id is not null)
        {
            await db.HistoryLines.Where(l => l.Id == id).ExecuteDeleteAsync();
            change.Deleted();
        }

        await AppendAsync(db, HistoryLogLine.Deleted(remote, request.User, requestTime, typed), requestTime, change);
        return HistoryResponse.ForUser(HistoryReplies.LineDeleted(typed, request.User));
    }

    /// <summary>Operation 2: the history as it stands, then a line saying who read it (logged after the reading, as the original did).</summary>
    private async Task<HistoryResponse> ShowAsync(SocketHubDb db, Pending pending, HistoryLineCountChange change)
    {
        var newest = await db.HistoryLines.AsNoTracking()
            .OrderByDescending(l => l.Id)
            .Take(_settings.MaxLines)
            .Select(l => l.Text)
            .ToListAsync();
        newest.Reverse();

        // Counting scans the table, so only when the list is full and may have been cut.
        var omitted = newest.Count < _settings.MaxLines ? 0 : await db.HistoryLines.LongCountAsync() - newest.Count;
        var listing = HistoryReplies.HistoryList(newest, omitted);

        var now = _time.GetLocalNow();
        await AppendAsync(db, HistoryLogLine.GotHistory(pending.Remote, pending.Request.User, now), now, change);
        return HistoryResponse.ForUser(listing);
    }

    private async Task<HistoryResponse> DeleteAllAsync(SocketHubDb db, string user, HistoryLineCountChange change)
    {
        await db.HistoryLines.ExecuteDeleteAsync();
        change.Emptied();
        var now = _time.GetLocalNow();
        await AppendAsync(db, HistoryLogLine.DeleteAll(user, now), now, change);
        return HistoryResponse.ForUser(HistoryReplies.AllDeleted);
    }

    private sealed record Pending(HistoryRequest Request, string Remote);
}
