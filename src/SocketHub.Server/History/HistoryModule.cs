using SocketHub.Protocol.History;
using SocketHub.Server.Ops;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.History;

/// <summary>The history server: <c>History:*</c>, the store and its group-committing writer, one listener.</summary>
public sealed class HistoryModule : DialectModule
{
    public override string Name => HistoryDialect.Info.Name;

    public override void Add(DialectModuleContext context)
    {
        var settings = context.Settings<HistorySettings>("History");
        context.Services.AddSingleton<HistoryStore>();
        context.Services.AddSingleton<HistoryWriter>();
        context.Listen<HistoryProtocol, HistoryRequest, HistoryReply>(HistoryDialect.Info, "History:Port", settings.Port, settings.TlsPort);
        context.Audit("history", services => new HistoryAudit(services.GetRequiredService<StoredCounts>().HistoryLines));
        context.Figure(new DialectFigure("history-lines", "History lines", services => services.GetRequiredService<StoredCounts>().HistoryLines)
        {
            Instrument = "sockethub.history.lines",
            Unit = "{line}",
            Description = "Lines in the history",
        });
    }
}

/// <summary>/audit's <c>history</c> section.</summary>
public sealed record HistoryAudit(long Lines);
