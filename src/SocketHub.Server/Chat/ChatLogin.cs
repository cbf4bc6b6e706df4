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
}

/// <summary>
/// Whether a name and password may log in, on every chat port: the name's rules, registration
/// when it is open, the password check and the lockout after wrong ones. Entering the room is
/// <see cref="ChatAdmission"/>'s. The password is never logged.
/// </summary>
public sealed class ChatLogin(
    ChatSettings settings,
    ChatAccounts accounts,
    ChatPasswords passwords,
    ChatLockouts lockouts,
    ChatAccountTurns turns,
    ActivityFeed activity,
    IHostApplicationLifetime lifetime,
    ILogger<ChatLogin> logger)
{
    private readonly CancellationToken _stopping = lifetime.ApplicationStopping;

    /// <summary>The first step of the text dialect's login: may this name go on to its password?</summary>
    public LoginResult CheckUsername(string user) =>
        !ChatUsername.IsValid(user) ? LoginResult.InvalidUsername
        : lockouts.IsBlocked(user) ? LoginResult.Blocked
        : !accounts.Exists(user) && !settings.OpenRegistration ? LoginResult.UnknownUser
        : LoginResult.Welcome;

    /// <summary>
    /// May this name and password log in? Creates the account with open registration, counts
    /// wrong passwords towards the lockout (in the activity feed under <paramref name="dialect"/>,
    /// the port they were tried on).
    /// </summary>
    public async Task<LoginResult> VerifyAsync(ChatDialect dialect, string user, string password)
    {
        var check = CheckUsername(user);
        if (check != LoginResult.Welcome)
        {
            return check;
        }

        try
        {
            return await VerifyOrRegisterAsync(dialect, user, password);
        }
        catch (Exception e) when (!ClientGone.Is(e))
        {
            ChatLog.LoginFailedOnServer(logger, e, LogText.Sanitize(user));
            return LoginResult.ServerError;
        }
    }

    private async Task<LoginResult> VerifyOrRegisterAsync(ChatDialect dialect, string user, string password)
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

            var newHash = await passwords.HashAsync(user, password);
            if (await accounts.CreateAsync(user, newHash))
            {
                ChatLog.Registered(logger, user);
                return LoginResult.Welcome;
            }

            // Someone registered the name meanwhile: it is now an existing account.
            hash = await accounts.PasswordHashAsync(user) ?? throw new InvalidOperationException("The account vanished.");
        }

        var verdict = await passwords.VerifyAsync(user, hash, password);
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
            await accounts.UpdatePasswordHashAsync(user, await passwords.HashAsync(user, password));
        }

        return LoginResult.Welcome;
    }
}
