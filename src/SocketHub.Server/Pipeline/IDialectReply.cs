namespace SocketHub.Server.Pipeline;

/// <summary>A reply the dialect loop writes; it counts the error replies for /audit and the meter.</summary>
public interface IDialectReply
{
    bool IsError { get; }
}
