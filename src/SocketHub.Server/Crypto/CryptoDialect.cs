using SocketHub.Protocol.Crypto;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Crypto;

public static class CryptoDialect
{
    public static Dialect Info { get; } = new("crypto", CryptoReplies.ErrorLine);
}
