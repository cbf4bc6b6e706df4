using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace SocketHub.Server.Chat;

/// <summary>
/// Salted PBKDF2-HMAC-SHA256 hashes in ASP.NET Core Identity's format (which records its
/// iteration count, so <c>Chat:PasswordIterations</c> can be raised later and older hashes are
/// upgraded at the next login). Hashing is deliberately slow: it runs on threads of its own (not
/// the thread pool's), at most one per core at a time, in the order <see cref="ChatHashCores"/>
/// gives the cores out, registrations' and doubtful logins' at a lower priority
/// (<see cref="ChatHashThreadPriority"/>), and never under the room's lock.
/// </summary>
public sealed class ChatPasswords
{
    /// <summary>Where the server's own hashes (the credentials file, at start) queue.</summary>
    private const string ServerAddress = "";

    private readonly PasswordHasher<string> _hasher;

    public ChatPasswords(ChatSettings settings)
    {
        _hasher = new PasswordHasher<string>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = settings.PasswordIterations,
        }));
    }

    /// <summary>The cores' queue: one slot per core.</summary>
    public ChatHashCores Cores { get; } = new(Environment.ProcessorCount);

    /// <summary>Hashes a password of the credentials file, at start: the operator's, on every core.</summary>
    public Task<string> HashAsync(string user, string password) =>
        HashAsync(user, password, ServerAddress, ChatHashLane.Returning);

    /// <summary>Hashes a new password asked for from <paramref name="address"/>.</summary>
    public Task<string> HashAsync(string user, string password, string address, ChatHashLane lane, CancellationToken cancellationToken = default) =>
        RunAsync(() => _hasher.HashPassword(user, password), address, lane, cancellationToken);

    public Task<PasswordVerificationResult> VerifyAsync(
        string user, string hash, string password, string address, ChatHashLane lane, CancellationToken cancellationToken = default) =>
        RunAsync(() => _hasher.VerifyHashedPassword(user, hash, password), address, lane, cancellationToken);

    private async Task<T> RunAsync<T>(Func<T> work, string address, ChatHashLane lane, CancellationToken cancellationToken)
    {
        using var core = await Cores.WaitAsync(address, lane, cancellationToken);

        // A thread of its own, not the thread pool's: the pool starts with one thread per core,
        // and hashes holding them all would stall every connection's I/O until the pool grows
        // (a thread every half second or so), which is what made logins take seconds under a
        // flood of hashes. Starting a thread costs microseconds next to a quarter-second hash.
        return await Task.Factory.StartNew(
            () =>
            {
                if (lane == ChatHashLane.Other)
                {
                    ChatHashThreadPriority.LowerCurrentThread();
                }

                return work();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }
}
