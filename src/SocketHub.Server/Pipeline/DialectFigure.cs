namespace SocketHub.Server.Pipeline;

/// <summary>
/// One figure a module publishes: a line on the instructor's page (<see cref="Id"/> is the
/// element's), an entry in /audit's <c>figures</c>, and optionally an instrument on the
/// <c>SocketHub</c> meter, all reading the same live value.
/// </summary>
/// <param name="Id">Page element and /audit id, e.g. <c>board-messages</c>.</param>
/// <param name="Label">What the page shows beside the value, e.g. "Board messages"; null for a figure on the meter only.</param>
/// <param name="Read">Reads the current value from the application's services.</param>
public sealed record DialectFigure(string Id, string? Label, Func<IServiceProvider, long> Read)
{
    /// <summary>The meter instrument, e.g. <c>sockethub.board.messages</c>; null when the module's own counters publish it (with tags).</summary>
    public string? Instrument { get; init; }

    /// <summary>The instrument's unit, e.g. <c>{message}</c>.</summary>
    public string Unit { get; init; } = "1";

    /// <summary>The instrument's description.</summary>
    public string? Description { get; init; }

    /// <summary>True for an all-time total (a counter); false for a level that goes up and down.</summary>
    public bool Cumulative { get; init; }
}

/// <summary>A module's section of /audit: <c>"board": {...}</c>, built on each request.</summary>
public sealed record DialectAuditSection(string Name, Func<IServiceProvider, object> Build);
