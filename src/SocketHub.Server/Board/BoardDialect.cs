using SocketHub.Protocol.Board;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Board;

public static class BoardDialect
{
    public static Dialect Info { get; } = new("board", BoardReplies.Error);
}
