namespace SocketHub.Protocol.History;

/// <summary>
/// The answer to one request: a line on its own (<c>Authentication error.</c>, a new username,
/// a transport error), or the response part of a known user's three-part reply.
/// </summary>
/// <param name="Text">The line, or the response part.</param>
/// <param name="ForKnownUser">True when the reply is the clone line, the operations text and <paramref name="Text"/>.</param>
/// <param name="IsError">Counts as an error reply in the dialect's counters.</param>
public readonly record struct HistoryResponse(string Text, bool ForKnownUser, bool IsError)
{
    public static HistoryResponse Line(string text, bool isError = true) => new(text, ForKnownUser: false, isError);

    public static HistoryResponse ForUser(string response, bool isError = false) => new(response, ForKnownUser: true, isError);

    /// <summary>The reply's text, exactly as sent.</summary>
    public string Render(string repositoryUrl) =>
        ForKnownUser ? HistoryReplies.ForUser(repositoryUrl, Text) : Text;
}
