using Microsoft.AspNetCore.Connections;
using SocketHub.Server.Board;
using SocketHub.Server.Chat;
using SocketHub.Server.Crypto;
using SocketHub.Server.History;
using SocketHub.Server.SecureChat;

namespace SocketHub.Server.Hosting;

/// <summary>
/// The connection pipeline of one dialect's listener, as Kestrel runs it: the shared
/// <see cref="ConnectionGate"/> in front of the dialect's <see cref="ConnectionHandler"/>. It lets
/// the server's real pipeline run on a connection that has no socket (the tests' in-memory
/// transport), with the same limits, counters and handler as the listener.
/// </summary>
public static class ConnectionPipelines
{
    /// <summary>Each dialect's listener name and handler, as <see cref="SocketHubHost"/> opens them.</summary>
    private static readonly (Dialect Dialect, Type Handler)[] Listeners =
    [
        (BoardDialect.Info, typeof(BoardConnectionHandler)),
        (HistoryDialect.Info, typeof(HistoryConnectionHandler)),
        (CryptoDialect.Info, typeof(CryptoConnectionHandler)),
        (ChatDialect.Text, typeof(ChatTextConnectionHandler)),
        (ChatDialect.Json, typeof(ChatJsonConnectionHandler)),
        (SecureChatDialect.Info, typeof(SecureChatConnectionHandler)),
    ];

    /// <summary>
    /// Builds the pipeline of the listener named <paramref name="listenerName"/> ("board",
    /// "history", "crypto", "chat", "chat-json", "secure-chat") from the server's services. The
    /// handler is made once, as <c>UseConnectionHandler</c> makes it: one per listener, serving
    /// every connection of the returned delegate.
    /// </summary>
    public static ConnectionDelegate Build(IServiceProvider services, string listenerName)
    {
        var (dialect, handlerType) = Array.Find(Listeners, l => l.Dialect.Name == listenerName) is { Dialect: not null } found
            ? found
            : throw new ArgumentException($"No dialect listens as '{listenerName}'.", nameof(listenerName));
        var gate = ActivatorUtilities.CreateInstance<ConnectionGate>(
            services, dialect, services.GetRequiredService<ServerStats>().For(dialect));
        var handler = (ConnectionHandler)ActivatorUtilities.GetServiceOrCreateInstance(services, handlerType);
        return connection => gate.InvokeAsync(connection, handler.OnConnectedAsync);
    }
}
