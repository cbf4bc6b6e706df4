using SocketHub.Protocol.Chat;

namespace SocketHub.Server.Chat;

/// <summary>
/// Before the listeners open: reads accounts, statistics and blocks into memory, and imports
/// <c>Chat:CredentialsFile</c> (accounts that exist already are left as they are), and the room's
/// last lines when <c>Chat:HistoryOnJoin</c> is on. When the
/// host stops, after the listeners: saves the last statistics and stores the room lines still queued.
/// </summary>
public sealed class ChatStartup(
    ChatSettings settings,
    ChatAccounts accounts,
    ChatPasswords passwords,
    ChatRoom room,
    ChatRoomLog roomLog,
    ILogger<ChatStartup> logger,
    Cluster.Chat.ClusterChat? cluster = null) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        room.LoadBlocks(await accounts.LoadAsync(cancellationToken));
        await roomLog.LoadAsync(cancellationToken);
        if (cluster is not null)
        {
            await cluster.StartAsync(cancellationToken);
        }
        if (!string.IsNullOrEmpty(settings.CredentialsFile))
        {
            await ImportAsync(settings.CredentialsFile, cancellationToken);
        }
    }

    /// <summary>Kestrel stops before this (it was registered later), so every session has left by now.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (cluster is not null)
        {
            await cluster.StopAsync();
        }

        await accounts.StopAsync();
        await roomLog.StopAsync();
    }

    private async Task ImportAsync(string path, CancellationToken cancellationToken)
    {
        var lines = await File.ReadAllLinesAsync(path, cancellationToken);
        var wanted = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var problem = ParseLine(lines[i], out var user, out var password);
            if (problem is null && wanted.ContainsKey(user))
            {
                problem = "the username appears on an earlier line";
            }

            if (problem is not null)
            {
                // The line number and the reason only: the line holds a password.
                ChatLog.BadCredentialsLine(logger, path, i + 1, problem);
                continue;
            }

            if (user.Length > 0)
            {
                wanted[user] = password;
            }
        }

        var fresh = wanted.Where(w => !accounts.Exists(w.Key)).ToList();
        var hashed = await Task.WhenAll(fresh.Select(async w => (w.Key, await passwords.HashAsync(w.Key, w.Value))));
        var added = await accounts.ImportAsync(hashed, cancellationToken);
        ChatLog.Imported(logger, path, added, wanted.Count - added);
    }

    /// <summary>A reason when the line is not <c>username password</c>; a blank line gives an empty username.</summary>
    private static string? ParseLine(string line, out string user, out string password)
    {
        user = password = string.Empty;
        var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0)
        {
            return null;
        }

        if (fields.Length != 2)
        {
            return "expected a username and a password separated by a space";
        }

        if (!ChatUsername.IsValid(fields[0]))
        {
            return "the username must be 1-32 of A-Z a-z 0-9 _ . -";
        }

        user = fields[0];
        password = fields[1];
        return null;
    }
}
