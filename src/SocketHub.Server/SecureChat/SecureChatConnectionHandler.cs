using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Connections;
using SocketHub.Protocol.Chat;
using SocketHub.Protocol.SecureChat;
using SocketHub.Protocol.Text;
using SocketHub.Server.Chat;
using SocketHub.Server.Hosting;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.SecureChat;

/// <summary>
/// One connection of Boyd's encrypted chat, in the shared chat room. The original's order:
/// username and password in clear, answered <c>OK</c> (then the welcome) or <c>FAILURE</c>;
/// the client's public key, then ours; from then on every frame both ways is encrypted to the
/// other side's key. The session enters the room only after the key exchange (so the arrival
/// is announced, as in the original, once the newcomer can read it); until then this handler
/// writes its clear frames itself, and afterwards everything goes through the session's
/// bounded queue, encrypted to this client's key by the session's writer.
/// </summary>
public sealed class SecureChatConnectionHandler(ChatHandlerServices services, SecureChatKeyStore keys) : ConnectionHandler
{
    /// <summary>The original server's limit on login attempts per connection (its client gives up after 3).</summary>
    public const int MaxLoginAttempts = 5;

    private readonly DialectStats _stats = services.Stats.For(SecureChatDialect.Info);

    private ILogger Logger => services.Logger;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var context = DialectConnection.Of(connection);
        var settings = services.Settings;
        var stopping = context.Stopping;
        var output = context.Output;
        var remote = context.RemoteText;
        using var writer = new SecureChatWriter();
        using var session = new ChatSession(connection, SecureChatDialect.Chat(writer), remote, services.QueueLimit);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping, session.Killed);
        var decoder = new SecureChatFrameDecoder();
        var reading = new DialectReading(() => decoder, settings.Timeout) { LoginTimeout = settings.LoginTimeout };
        using var reader = new DialectReader(context, reading, services.Time, stop.Token);
        var frames = new SecureChatFrames(reader, decoder);
        var entered = false;
        try
        {
            var user = await LoginAsync(frames, output, session.Dialect, remote);
            if (user is null || !await ExchangeKeysAsync(frames, output, writer, remote))
            {
                return;
            }

            session.StartWriter(output);
            var result = await services.Admission.EnterAsync(session, user);
            if (result != LoginResult.Welcome)
            {
                // Another login of the account got in between our OK and now.
                _stats.ErrorReplied();
                session.EnqueueLast(ChatReply.Fail(null, ChatTexts.AlreadyLoggedIn));
                return;
            }

            entered = true;
            frames.LoggedIn();
            using var serverKey = keys.CreatePrivateKey();
            await LinesAsync(frames, session, serverKey);
        }
        finally
        {
            var shuttingDown = stopping.IsCancellationRequested;
            if (shuttingDown && writer.HasKey)
            {
                session.EnqueueLast(ChatEvent.Server(ChatTexts.ShuttingDown));
            }

            if (session.Overflowed)
            {
                ChatLog.Overflowed(Logger, session.Remote, session.User ?? "-");
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

    /// <summary>Username and password frames until a login succeeds (the name), or the connection ends (null).</summary>
    private async Task<string?> LoginAsync(SecureChatFrames frames, PipeWriter output, ChatDialect dialect, string remote)
    {
        for (var attempt = 1; attempt <= MaxLoginAttempts; attempt++)
        {
            // A frame's bytes are valid until the next read: each is decoded before it.
            if (await frames.ReadAsync() is not { } nameFrame)
            {
                await EndBeforeKeysAsync(frames, output, remote);
                return null;
            }

            // The original strips the username and takes the password as sent.
            var name = StrictUtf8.TryDecode(nameFrame.Span, out var typedName) ? typedName.Trim() : string.Empty;
            if (await frames.ReadAsync() is not { } passwordFrame)
            {
                await EndBeforeKeysAsync(frames, output, remote);
                return null;
            }

            var result = StrictUtf8.TryDecode(passwordFrame.Span, out var password) && name.Length > 0
                ? await services.Login.VerifyAsync(dialect, remote, name, password)
                : LoginResult.InvalidUsername;
            if (result == LoginResult.Welcome && services.Admission.IsOnline(name))
            {
                result = LoginResult.AlreadyLoggedIn;
            }

            if (result == LoginResult.Welcome)
            {
                await WriteClearAsync(output, SecureChatTexts.Ok);
                await WriteClearAsync(output, SecureChatTexts.Welcome(name));
                return name;
            }

            // The client cannot show why; the log says it (the password never). An address over
            // its login attempts was logged once, when that began: not once per refusal.
            _stats.ErrorReplied();
            if (result != LoginResult.TooManyAttempts)
            {
                SecureChatLog.LoginRefused(Logger, remote, LogText.Sanitize(name), result);
            }

            await WriteClearAsync(output, SecureChatTexts.Failure);
            if (result is LoginResult.NowBlocked or LoginResult.Blocked or LoginResult.ServerError or LoginResult.TooManyAttempts)
            {
                return null;
            }
        }

        SecureChatLog.TooManyAttempts(Logger, remote, MaxLoginAttempts);
        return null;
    }

    /// <summary>Reads the client's public key and sends ours; false (logged) when the key is unusable.</summary>
    private async Task<bool> ExchangeKeysAsync(SecureChatFrames frames, PipeWriter output, SecureChatWriter writer, string remote)
    {
        if (await frames.ReadAsync() is not { } keyFrame)
        {
            await EndBeforeKeysAsync(frames, output, remote);
            return false;
        }

        RSA? clientKey = null;
        var problem = "the key is not UTF-8 text";
        if (StrictUtf8.TryDecode(keyFrame.Span, out var pem))
        {
            SecureChatKeys.TryImportPublicKey(pem, out clientKey, out problem);
        }

        if (clientKey is null)
        {
            _stats.ErrorReplied();
            SecureChatLog.BadKey(Logger, remote, problem);
            await WriteClearAsync(output, $"Error. Unusable public key: {problem}");
            return false;
        }

        writer.SetKey(clientKey);
        await WriteClearAsync(output, keys.PublicKeyPem);
        frames.Encrypted();
        return true;
    }

    /// <summary>Every frame of a user in the room: decrypted, split into lines, each run as the room's command it stands for.</summary>
    private async Task LinesAsync(SecureChatFrames frames, ChatSession session, RSA serverKey)
    {
        var user = session.User!;
        while (await frames.ReadAsync() is { } frame)
        {
            if (!SecureChatCipher.TryDecrypt(serverKey, frame.Span, out var message, out var problem))
            {
                _stats.ErrorReplied();
                SecureChatLog.BadMessage(Logger, session.Remote, user, problem);
                session.EnqueueLast(ChatReply.Fail(null, $"Error. {Capitalised(problem)}; closing"));
                await frames.LingerAsync();
                return;
            }

            foreach (var line in SecureChatTexts.InputLines(message))
            {
                if (!await LineAsync(session, line))
                {
                    return;
                }
            }
        }

        switch (frames.End)
        {
            case SecureChatEnd.TimedOut:
                session.EnqueueLast(ChatEvent.Server(ChatTexts.Inactivity));
                break;
            case SecureChatEnd.TooLong or SecureChatEnd.BadHeader:
                _stats.ErrorReplied();
                SecureChatLog.BadFrame(Logger, session.Remote, frames.Problem);
                session.EnqueueLast(ChatReply.Fail(null, $"Error. {Capitalised(frames.Problem)}; closing"));
                await frames.LingerAsync();
                break;
        }
    }

    /// <summary>Runs one line; false when it ends the session.</summary>
    private async Task<bool> LineAsync(ChatSession session, string line)
    {
        var user = session.User!;
        var command = SecureChatInput.Parse(line);
        if (command.Kind == ChatCommandKind.Empty)
        {
            return true;
        }

        if (command.Kind == ChatCommandKind.Logout && command.Name == SecureChatTexts.Disconnect)
        {
            // The original client stops reading once it has sent this: nothing more to say.
            return false;
        }

        if (!services.Flood.TryAcquire(user))
        {
            _stats.ErrorReplied();
            session.TryEnqueue(ChatReply.Fail(null, ChatTexts.SlowDown));
            return true;
        }

        if (command.Kind == ChatCommandKind.Help && command.Error is null)
        {
            session.TryEnqueue(ChatReply.Ok(command.Name, string.Join('\n', SecureChatInput.Help)));
            return true;
        }

        ChatLog.Command(Logger, command.Name, user);
        var reply = await services.Commands.ExecuteAsync(session, command);
        if (!reply.Success)
        {
            _stats.ErrorReplied();
        }

        if (command.Kind == ChatCommandKind.Logout && reply.Success)
        {
            session.EnqueueLast(reply);
            return false;
        }

        session.TryEnqueue(reply);
        return true;
    }

    /// <summary>The connection ended before the key exchange: the log line, and a clear last word where one helps.</summary>
    private async Task EndBeforeKeysAsync(SecureChatFrames frames, PipeWriter output, string remote)
    {
        switch (frames.End)
        {
            case SecureChatEnd.TimedOut:
                _stats.ErrorReplied();
                await WriteClearAsync(output, ChatTexts.LoginTimedOut);
                break;
            case SecureChatEnd.TooLong or SecureChatEnd.BadHeader:
                _stats.ErrorReplied();
                SecureChatLog.BadFrame(Logger, remote, frames.Problem);
                await WriteClearAsync(output, $"Error. {Capitalised(frames.Problem)}; closing");
                await frames.LingerAsync();
                break;
        }
    }

    private static async Task WriteClearAsync(PipeWriter output, string text)
    {
        SecureChatFraming.WriteText(output, text);
        await output.FlushAsync();
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
