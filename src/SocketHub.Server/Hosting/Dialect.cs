namespace SocketHub.Server.Hosting;

/// <summary>
/// What the shared transport code needs to know about a dialect: its name (in logs, counters and
/// /audit) and how to say a one-line reason in its own format when a limit turns a client away.
/// </summary>
public sealed record Dialect(string Name, Func<string, string> ReasonLine)
{
    public override string ToString() => Name;
}
