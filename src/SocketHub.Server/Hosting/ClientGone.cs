using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace SocketHub.Server.Hosting;

/// <summary>Exceptions that only mean the client went away: normal, not errors for the log.</summary>
internal static class ClientGone
{
    public static bool Is(Exception e) => e is ConnectionResetException
        or ConnectionAbortedException
        or OperationCanceledException
        or IOException
        or SocketException;
}
