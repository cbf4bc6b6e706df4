using Microsoft.AspNetCore.Identity;
using SocketHub.Protocol.Chat;
using SocketHub.Protocol.Text;
using SocketHub.Server.Hosting;
using SocketHub.Server.Ops;

namespace SocketHub.Server.Chat;

public enum LoginResult
{
    Welcome,
    InvalidUsername,
    UnknownUser,
    EmptyPassword,
    WrongPassword,
    NowBlocked,
    Blocked,
    AlreadyLoggedIn,
    ServerError,

    /// <summary>A new account's name could pass for the server (<see cref="ChatUsername.IsReserved"/>).</summary>
    ReservedName,

    /// <summary>The address has registered its <c>Chat:RegistrationsPerHour</c>.</summary>
    TooManyRegistrations,

    /// <summary>The chat holds <c>Chat:MaxAccounts</c> accounts.</summary>
    AccountsFull,

    /// <summary>The address has used its <c>Chat:LoginAttemptsPerMinute</c>.</summary>
    TooManyAttempts,
}

/// <summary>
/// Whether a name and password may log in, on every chat port: the name's rules, registration
/// when it is open, the password check and the lockout after wrong ones. The hash is the costly
/// part: the per-address limits and the account cap (<see cref="ChatLoginLimits"/>) are checked
/// before it, and it waits for a core in <see cref="ChatHashCores"/>'s order. Entering the room
/// is <see cref="ChatAdmission"/>'s. The password is never logged.
/// </summary>
public sealed class ChatLogin(
    ChatSettings settings,
    ChatAccounts accounts,
    ChatPasswords passwords,
    ChatLockouts lockouts,
    ChatAccountTurns turns,
    ChatLoginLimits limits,
    ActivityFeed activity,
    IHostApplicationLifetime lifetime,
    ILogger<ChatLogin> logger)
{
    private readonly CancellationToken _stopping = lifetime.ApplicationStopping;

    /// <summary>The first step of the text dialect's login: may this name go on to its password?</summary>
    public LoginResult CheckUsername(string user)
    {
        if (!ChatUsername.IsValid(user))
        {
            return LoginResult.InvalidUsername;
        }

        if (lockouts.IsBlocked(user))
        {
            return LoginResult.Blocked;
        }

        if (accounts.Exists(user))
        {
            return LoginResult.Welcome;
        }

        if (!settings.OpenRegistration)
        {
            return LoginResult.UnknownUser;
        }

        if (ChatUsername.IsReserved(user))
        {
            return LoginResult.ReservedName;
        }

        var room = limits.CheckRoom();
        if (!room.Allowed)
        {
            if (room.First)
            {
                LogAccountsFull();
            }

            return LoginResult.AccountsFull;
        }

        return LoginResult.Welcome;
    }

    /// <summary>
    /// May this name and password, sent from <paramref name="address"/>, log in? Creates the
    /// account with open registration, counts wrong passwords towards the lockout (in the
    /// activity feed under <paramref name="dialect"/>, the port they were tried on).
    /// </summary>
    public async Task<LoginResult> VerifyAsync(ChatDialect dialect, string address, string user, string password)
    {
        var check = CheckUsername(user);
        if (check != LoginResult.Welcome)
        {
            return check;
        }

        var attempt = limits.TryAttempt(address);
        if (!attempt.Allowed)
        {
            if (attempt.First)
            {
                ChatLog.TooManyLoginAttempts(logger, address, settings.LoginAttemptsPerMinute);
                activity.Add(dialect.Name, $"{address}: over {settings.LoginAttemptsPerMinute} login attempts a minute, refused for a while");
            }

            return LoginResult.TooManyAttempts;
        }

        try
        {
            return await VerifyOrRegisterAsync(dialect, address, user, password);
        }
        catch (Exception e) when (!ClientGone.Is(e))
        {
            ChatLog.LoginFailedOnServer(logger, e, LogText.Sanitize(user));
            return LoginResult.ServerError;
        }
    }

    private async Task<LoginResult> VerifyOrRegisterAsync(ChatDialect dialect, string address, string user, string password)
    {
        // One check per account at a time, and the block looked at again once it is our turn:
        // guesses sent at once cannot all be hashed before the third wrong one blocks the account,
        // and during a block no password is checked, so a right one is answered like a wrong one.
        using var turn = await turns.WaitAsync(user, _stopping);
        if (lockouts.IsBlocked(user))
        {
            return LoginResult.Blocked;
        }

        var hash = await accounts.PasswordHashAsync(user);
        if (hash is null)
        {
            if (!settings.OpenRegistration)
            {
                return LoginResult.UnknownUser;
            }

            if (password.Length == 0)
            {
                return LoginResult.EmptyPassword;
            }

            var registered = await RegisterAsync(dialect, address, user, password);
            if (registered is { } result)
            {
                return result;
            }

            // Someone registered the name meanwhile: it is now an existing account.
            hash = await accounts.PasswordHashAsync(user) ?? throw new InvalidOperationException("The account vanished.");
        }

        // The owner's likely logins go first (see ChatHashCores): from where the account last got
        // in, with no wrong password since. Guesses from elsewhere wait with the registrations.
        var lane = !lockouts.FailedSinceLastSuccess(user) && accounts.Statistics(user)?.LastLoginAddress == address
            ? ChatHashLane.Returning
            : ChatHashLane.Other;
        var verdict = await passwords.VerifyAsync(user, hash, password, address, lane, _stopping);
        if (verdict == PasswordVerificationResult.Failed)
        {
            accounts.LoginFailed(user);
            var nowBlocked = lockouts.Fail(user);
            ChatLog.WrongPassword(logger, user, dialect.Name, nowBlocked);
            activity.Add(dialect.Name, nowBlocked
                ? $"{user}: third wrong password, account blocked for a while"
                : $"{user}: wrong password");
            return nowBlocked ? LoginResult.NowBlocked : LoginResult.WrongPassword;
        }

        lockouts.Succeed(user);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await accounts.UpdatePasswordHashAsync(user, await passwords.HashAsync(user, password, address, ChatHashLane.Returning, _stopping));
        }

        return LoginResult.Welcome;
    }

    private void LogAccountsFull()
    {
        ChatLog.AccountsFull(logger, settings.MaxAccounts);
        activity.Add(ChatDialect.Text.Name, $"{settings.MaxAccounts} accounts (Chat:MaxAccounts): new ones refused");
    }

    /// <summary>
    /// A new account with open registration, within the limits; null when the name was
    /// registered by someone else meanwhile.
    /// </summary>
    private async Task<LoginResult?> RegisterAsync(ChatDialect dialect, string address, string user, string password)
    {
        if (ChatUsername.IsReserved(user))
        {
            return LoginResult.ReservedName;
        }

        var (result, verdict, reservation) = limits.TryRegister(address);
        if (reservation is null)
        {
            if (verdict.First)
            {
                if (result == LoginResult.AccountsFull)
                {
                    LogAccountsFull();
                }
                else
                {
                    ChatLog.TooManyRegistrations(logger, address, settings.RegistrationsPerHour);
                    activity.Add(dialect.Name, $"{address}: over {settings.RegistrationsPerHour} new accounts an hour, refused for a while");
                }
            }

            return result;
        }

        using (reservation)
        {
            var hash = await passwords.HashAsync(user, password, address, ChatHashLane.Other, _stopping);
            if (!await accounts.CreateAsync(user, hash))
            {
                return null;
            }
        }

        ChatLog.Registered(logger, user);
        return LoginResult.Welcome;
    }
}
