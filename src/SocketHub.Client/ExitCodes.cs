namespace SocketHub.Client;

/// <summary>What the client's exit code tells a script.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Anything else: an unexpected reply, a lost connection, a bug.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>The server could not be reached (refused, unknown host, no answer to connect).</summary>
    public const int CannotConnect = 3;

    /// <summary>The server answered with an error or refused (ERR..., #er#..., Authentication error., login refused, rate limit).</summary>
    public const int ServerError = 4;
}

/// <summary>A failure with its exit code and the one line that explains it.</summary>
public sealed class ClientException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
