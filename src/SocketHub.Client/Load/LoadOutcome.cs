namespace SocketHub.Client.Load;

/// <summary>How one load request went.</summary>
public enum LoadOutcomeKind
{
    /// <summary>Answered as asked: its latency is measured.</summary>
    Succeeded,

    /// <summary>Refused by the server's rate limit: counted apart, not as an error.</summary>
    Limited,

    /// <summary>Answered wrongly or refused for another reason: an error.</summary>
    Failed,
}

/// <summary>How one load request went, and for a failure, why.</summary>
public readonly record struct LoadOutcome(LoadOutcomeKind Kind, string? Reason = null)
{
    public static LoadOutcome Succeeded { get; } = new(LoadOutcomeKind.Succeeded);

    public static LoadOutcome Limited { get; } = new(LoadOutcomeKind.Limited);

    public static LoadOutcome Failed(string reason) => new(LoadOutcomeKind.Failed, reason);
}
