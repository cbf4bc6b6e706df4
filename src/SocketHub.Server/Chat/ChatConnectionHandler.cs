using System.Buffers;
using Microsoft.AspNetCore.Connections;
using SocketHub.Protocol.Chat;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Chat;

/// <summary>The services both chat handlers use (one constructor argument instead of eight).</summary>
public sealed class ChatHandlerServices(
    ChatSettings settings,
    ChatService chat,
    ChatFloodControl flood,
    ServerStats stats,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers)
{
    public ChatSettings Settings { get; } = settings;
    public ChatService Chat { get; } = chat;
    public ChatFloodControl Flood { get; } = flood;
    public ServerStats Stats { get; } = stats;
    public TimeProvider Time { get; } = time;
    public IHostApplicationLifetime Lifetime { get; } = lifetime;
    public ILogger Logger { get; } = loggers.CreateLogger("SocketHub.Server.Chat");
}

/// <summary>
/// One chat connection, either dialect: its writer loop starts first (every line goes through the
/// session's bounded queue), then the dialect's login, then commands until logout, idle timeout,
/// disconnect or shutdown. The session leaves the room in <c>finally</c>, before the connection
/// closes, so the others hear of it and nobody is left in the room.
/// </summary>
public abstract class ChatConnectionHandler(ChatHandlerServices services, Dialect dialect, bool isJson) : ConnectionHandler
{
    private readonly DialectStats _stats = services.Stats.For(dialect);

    protected ChatService Chat => services.Chat;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var settings = services.Settings;
        var stopping = services.Lifetime.ApplicationStopping;
        using var session = new ChatSession(connection, Format, settings.OutgoingQueueLimit, RemoteAddress.Of(connection).ToString(), isJson);
        session.StartWriter(connection.Transport.Output);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping, session.Killed);
        using var reader = new FrameReader(connection.Transport.Input, ChatFraming.Options, settings.LoginTimeout, services.Time, stop.Token);
        var lines = new ChatLines(reader, session, _stats, services.Time, settings.LoginTimeout, services.Logger);
        var entered = false;
        try
        {
            entered = await LoginAsync(session, lines);
            if (entered)
            {
                lines.LoggedIn(settings.Timeout);
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
                Chat.Leave(session, announce: !shuttingDown);
            }

            await session.CloseAsync(TimeSpan.FromSeconds(shuttingDown ? 1 : 2));

            // Once the output has ended, the backlog deletes what was written and stops.
            await session.Backlog;
        }
    }

    /// <summary>The dialect's login; true once the session is in the room (its welcome queued).</summary>
    protected abstract Task<bool> LoginAsync(ChatSession session, ChatLines lines);

    /// <summary>A command line of the dialect; null when it cannot be read as a request at all.</summary>
    protected abstract ChatCommand? Parse(string line);

    protected abstract void Format(ChatOutput output, IBufferWriter<byte> buffer);

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

            var command = Parse(line);
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
            var reply = await Chat.ExecuteAsync(session, command);
            if (!reply.Success)
            {
                _stats.ErrorReplied();
            }

            if (command.Kind == ChatCommandKind.Logout && reply.Success)
            {
                session.EnqueueLast(reply);
                return;
            }

            session.TryEnqueue(reply);
        }
    }
}
