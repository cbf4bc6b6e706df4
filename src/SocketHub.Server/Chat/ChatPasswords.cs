using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace SocketHub.Server.Chat;

/// <summary>
/// Salted PBKDF2-HMAC-SHA256 hashes in ASP.NET Core Identity's format (which records its
/// iteration count, so <c>Chat:PasswordIterations</c> can be raised later and older hashes are
/// upgraded at the next login). Hashing is deliberately slow: it runs on the thread pool, at most
/// one per core at a time, and never under the room's lock.
/// </summary>
public sealed class ChatPasswords : IDisposable
{
    private readonly PasswordHasher<string> _hasher;
    private readonly SemaphoreSlim _cores = new(Environment.ProcessorCount);

    public ChatPasswords(ChatSettings settings) =>
        _hasher = new PasswordHasher<string>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = settings.PasswordIterations,
        }));

    public Task<string> HashAsync(string user, string password) =>
        RunAsync(() => _hasher.HashPassword(user, password));

    public Task<PasswordVerificationResult> VerifyAsync(string user, string hash, string password) =>
        RunAsync(() => _hasher.VerifyHashedPassword(user, hash, password));

    public void Dispose() => _cores.Dispose();

    private async Task<T> RunAsync<T>(Func<T> work)
    {
        await _cores.WaitAsync();
        try
        {
            return await Task.Run(work);
        }
        finally
        {
            _cores.Release();
        }
    }
}
