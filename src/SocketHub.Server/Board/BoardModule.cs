using SocketHub.Protocol.Board;
using SocketHub.Server.Ops;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.Board;

/// <summary>The message board: <c>Board:*</c>, the store and its group-committing writer, one listener.</summary>
public sealed class BoardModule : DialectModule
{
    public override string Name => BoardDialect.Info.Name;

    public override void Add(DialectModuleContext context)
    {
        var settings = context.Settings<BoardSettings>("Board");
        context.Services.AddSingleton<BoardStore>();
        context.Services.AddSingleton<BoardPostWriter>();
        context.Listen<BoardProtocol, BoardCommand?, BoardReply>(BoardDialect.Info, "Board:Port", settings.Port, settings.TlsPort);
        context.Audit("board", services => new BoardAudit(services.GetRequiredService<StoredCounts>().BoardMessages));
        context.Figure(new DialectFigure("board-messages", "Board messages", services => services.GetRequiredService<StoredCounts>().BoardMessages)
        {
            Instrument = "sockethub.board.messages",
            Unit = "{message}",
            Description = "Messages on the board",
        });
    }
}

/// <summary>/audit's <c>board</c> section.</summary>
public sealed record BoardAudit(long Messages);
