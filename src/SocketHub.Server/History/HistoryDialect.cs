using SocketHub.Server.Hosting;

namespace SocketHub.Server.History;

public static class HistoryDialect
{
    /// <summary>Reasons from the shared limits read as the history's other replies do: one sentence.</summary>
    public static Dialect Info { get; } = new("history", reason => reason + ".");
}
