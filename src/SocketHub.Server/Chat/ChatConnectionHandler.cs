using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using SocketHub.Protocol.Chat;
using SocketHub.Protocol.Framing;
using SocketHub.Server.Hosting;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.Chat;

/// <summary>The services the chat handlers use (one constructor argument instead of ten).</summary>
public sealed class ChatHandlerServices(
    ChatSettings settings,
    ChatRoom room,
    ChatLogin login,
    ChatAdmission admission,
    ChatCommands commands,
    ChatFloodControl flood,
    ServerStats stats,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers)
{
    public ChatSettings Settings { get; } = settings;

    /// <summary>How much may wait for one session before it is disconnected (it follows the room's size).</summary>
    public ChatQueueLimit QueueLimit { get; } = room.QueueLimit;
    public ChatLogin Login { get; } = login;
    public ChatAdmission Admission { get; } = admission;
    public ChatCommands Commands { get; } = commands;
    public ChatFloodControl Flood { get; } = flood;
    public ServerStats Stats { get; } = stats;
    public TimeProvider Time { get; } = time;
    public IHostApplicationLifetime Lifetime { get; } = lifetime;
    public ILogger Logger { get; } = loggers.CreateLogger("SocketHub.Server.Chat");
}

/// <summary>
/// One chat connection of the text or the JSON port, which <see cref="ChatDialect"/> tells apart:
/// its writer loop starts first (every line goes through the session's bounded queue), then the
/// dialect's login, then commands until logout, idle timeout, disconnect or shutdown. The session leaves the room in <c>finally</c>, before the connection
/// closes, so the others hear of it and nobody is left in the room.
/// </summary>
public abstract class ChatConnectionHandler(ChatHandlerServices services, ChatDialect dialect) : ConnectionHandler
{
    /// <summary>The kernel's send buffer for a connection written one object at a time.</summary>
    private const int ObjectSendBufferBytes = 64 * 1024;

    private readonly DialectStats _stats = services.Stats.For(dialect.Info);

    protected ChatDialect Dialect => dialect;

    protected ChatLogin Login => services.Login;

    protected ChatCommands Commands => services.Commands;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var settings = services.Settings;
        var stopping = services.Lifetime.ApplicationStopping;
        if (dialect.Objects is not null && connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            // One small write per object lets Linux grow the socket's send buffer while the client
            // reads nothing (up to tcp_wmem's maximum, megabytes), so a client that stopped
            // reading would fill the kernel long before its queue. A fixed buffer keeps the
            // queue limit meaningful.
            socket.SendBufferSize = ObjectSendBufferBytes;
        }

        var context = DialectConnection.Of(connection);
        using var session = new ChatSession(connection, dialect, context.RemoteText, services.QueueLimit, settings.JsonObjectGap);
        session.StartWriter(connection.Transport.Output);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping, session.Killed);
        var reading = new DialectReading(NewDecoder, settings.Timeout)
        {
            LoginTimeout = settings.LoginTimeout,
            UnfinishedAtClose = UnfinishedAtClose.RequestIfAny, // the last line of `printf '...' | nc -N` may lack its line end
        };
        using var reader = new DialectReader(context, reading, services.Time, stop.Token);
        var lines = new ChatLines(reader, session, _stats, services.Logger, dialect.TooLongSentence);
        var entered = false;
        try
        {
            entered = await LoginAsync(session, lines);
            if (entered)
            {
                lines.LoggedIn();
                await CommandsAsync(session, lines);
            }
        }
        finally
        {
            var shuttingDown = stopping.IsCancellationRequested;
            if (shuttingDown)
            {
                session.EnqueueLast(ChatEvent.Server(ChatTexts.ShuttingDown));
            }

            if (session.Overflowed)
            {
                ChatLog.Overflowed(services.Logger, session.Remote, session.User ?? "-");
            }

            if (entered)
            {
                services.Admission.Leave(session, announce: !shuttingDown);
            }

            await session.CloseAsync(TimeSpan.FromSeconds(shuttingDown ? 1 : 2));

            // Once the output has ended, the backlog deletes what was written and stops.
            await session.Backlog;
        }
    }

    protected ChatSettings Settings => services.Settings;

    /// <summary>How the dialect's requests are framed: lines by default.</summary>
    protected virtual IFrameDecoder NewDecoder() => new FrameDecoder(ChatFraming.Requests);

    /// <summary>Runs one command of a logged-in session: the output for the sender, and whether it did what it asked.</summary>
    protected virtual async Task<(ChatOutput Output, bool Success)> RunAsync(ChatSession session, ChatCommand command)
    {
        var reply = await Commands.ExecuteAsync(session, command);
        return (reply, reply.Success);
    }

    /// <summary>
    /// Checks the password (creating the account with open registration) and enters the room:
    /// the welcome with the first stored messages, then the others hear of the arrival.
    /// </summary>
    protected async Task<LoginResult> VerifyAndEnterAsync(ChatSession session, string user, string password)
    {
        var verdict = await Login.VerifyAsync(dialect, session.Remote, user, password);
        return verdict == LoginResult.Welcome
            ? await services.Admission.EnterAsync(session, user)
            : verdict;
    }

    protected void CountError() => _stats.ErrorReplied();

    /// <summary>The dialect's login; true once the session is in the room (its welcome queued).</summary>
    protected abstract Task<bool> LoginAsync(ChatSession session, ChatLines lines);

    /// <summary>The sentence for a login that did not get in.</summary>
    protected static string Sentence(LoginResult result) => result switch
    {
        LoginResult.InvalidUsername => ChatTexts.InvalidUsername,
        LoginResult.UnknownUser => ChatTexts.UnknownUser,
        LoginResult.EmptyPassword => ChatTexts.EmptyPassword,
        LoginResult.WrongPassword => ChatTexts.InvalidPassword,
        LoginResult.NowBlocked => ChatTexts.NowBlocked,
        LoginResult.Blocked => ChatTexts.Blocked,
        LoginResult.AlreadyLoggedIn => ChatTexts.AlreadyLoggedIn,
        LoginResult.ServerError => ChatTexts.ServerError,
        LoginResult.ReservedName => ChatTexts.ReservedUsername,
        LoginResult.TooManyRegistrations => ChatTexts.TooManyRegistrations,
        LoginResult.AccountsFull => ChatTexts.AccountsFull,
        LoginResult.TooManyAttempts => ChatTexts.TooManyLoginAttempts,
        _ => ChatTexts.Welcome,
    };

    protected void Refused(ChatSession session, string? command, LoginResult result)
    {
        _stats.ErrorReplied();
        session.TryEnqueue(ChatReply.Fail(command, Sentence(result)));
    }

    private async Task CommandsAsync(ChatSession session, ChatLines lines)
    {
        var user = session.User!;
        while (await lines.ReadAsync() is { } line)
        {
            if (!services.Flood.TryAcquire(user))
            {
                _stats.ErrorReplied();
                session.TryEnqueue(ChatReply.Fail(null, ChatTexts.SlowDown));
                continue;
            }

            var command = dialect.Parse(line);
            if (command is null)
            {
                _stats.ErrorReplied();
                session.TryEnqueue(ChatReply.Fail(null, ChatTexts.MalformedRequest));
                continue;
            }

            if (command.Kind == ChatCommandKind.Empty)
            {
                continue;
            }

            ChatLog.Command(services.Logger, command.Name, user);
            var (reply, success) = await RunAsync(session, command);
            if (!success)
            {
                _stats.ErrorReplied();
            }

            if (command.Kind == ChatCommandKind.Logout && success)
            {
                session.EnqueueLast(reply);
                return;
            }

            session.TryEnqueue(reply);
        }
    }
}
