using System.Collections.Concurrent;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Chat;

/// <summary>What a limit of <see cref="ChatLoginLimits"/> said; <see cref="First"/> when it starts refusing an address (worth one log line).</summary>
public readonly record struct ChatLimitVerdict(bool Allowed, bool First = false)
{
    public static ChatLimitVerdict Yes { get; } = new(true);
}

/// <summary>
/// What keeps the password hash from being turned against the server, all checked before
/// anything is hashed: <c>Chat:LoginAttemptsPerMinute</c> and <c>Chat:RegistrationsPerHour</c>
/// per remote address (token buckets: the whole allowance at once, then refilled evenly), and
/// <c>Chat:MaxAccounts</c> for open registration. The order of the checks that remain is
/// <see cref="ChatHashCores"/>'s.
/// </summary>
public sealed class ChatLoginLimits(ChatSettings settings, ChatAccounts accounts, TimeProvider time)
{
    private const int MaxRefusing = 4096;

    private readonly AddressRateLimiter? _attempts = settings.LoginAttemptsPerMinute > 0
        ? new(settings.LoginAttemptsPerMinute / 60.0, settings.LoginAttemptsPerMinute, time)
        : null;

    private readonly AddressRateLimiter? _registrations = settings.RegistrationsPerHour > 0
        ? new(settings.RegistrationsPerHour / 3600.0, settings.RegistrationsPerHour, time)
        : null;

    // Addresses refused now, per limit, so that a flood of refusals is one log line, not one each.
    private readonly ConcurrentDictionary<(bool Registration, string Address), byte> _refusing = new();

    // Registrations past the cap check whose account is not in ChatAccounts yet.
    private int _registering;
    private int _fullLogged;

    /// <summary>
    /// May open registration make another account? Refused when the chat holds
    /// <c>Chat:MaxAccounts</c> (<c>First</c> on the first refusal since it filled).
    /// </summary>
    public ChatLimitVerdict CheckRoom()
    {
        if (settings.MaxAccounts <= 0 || accounts.Count + Volatile.Read(ref _registering) < settings.MaxAccounts)
        {
            return ChatLimitVerdict.Yes;
        }

        return new(false, Interlocked.Exchange(ref _fullLogged, 1) == 0);
    }

    /// <summary>Counts one password check from <paramref name="address"/>.</summary>
    public ChatLimitVerdict TryAttempt(string address) => Take(_attempts, registration: false, address);

    /// <summary>
    /// Makes room for one new account asked for from <paramref name="address"/>: refused when the
    /// chat is full (<c>First</c> on the first refusal since it filled) or the address has
    /// registered its allowance. Dispose the reservation once the account exists or was not made.
    /// </summary>
    public (LoginResult Result, ChatLimitVerdict Verdict, IDisposable? Reservation) TryRegister(string address)
    {
        if (settings.MaxAccounts > 0)
        {
            if (Interlocked.Increment(ref _registering) + accounts.Count > settings.MaxAccounts)
            {
                Interlocked.Decrement(ref _registering);
                return (LoginResult.AccountsFull, new(false, Interlocked.Exchange(ref _fullLogged, 1) == 0), null);
            }

            Volatile.Write(ref _fullLogged, 0);
        }

        var reservation = new Reservation(this, settings.MaxAccounts > 0);
        var verdict = Take(_registrations, registration: true, address);
        if (!verdict.Allowed)
        {
            reservation.Dispose();
            return (LoginResult.TooManyRegistrations, verdict, null);
        }

        return (LoginResult.Welcome, verdict, reservation);
    }

    private ChatLimitVerdict Take(AddressRateLimiter? limiter, bool registration, string address)
    {
        if (limiter is null)
        {
            return ChatLimitVerdict.Yes;
        }

        if (limiter.TryAcquire(address))
        {
            _refusing.TryRemove((registration, address), out _);
            return ChatLimitVerdict.Yes;
        }

        if (_refusing.Count > MaxRefusing)
        {
            // Addresses that went quiet while refused are never removed otherwise; at worst one
            // of them is logged again.
            _refusing.Clear();
        }

        return new(false, _refusing.TryAdd((registration, address), 0));
    }

    private sealed class Reservation(ChatLoginLimits owner, bool counted) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (counted && Interlocked.Exchange(ref _done, 1) == 0)
            {
                Interlocked.Decrement(ref owner._registering);
            }
        }
    }
}
