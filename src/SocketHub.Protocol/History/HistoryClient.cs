namespace SocketHub.Protocol.History;

/// <summary>The history dialect seen from a client: the request line, and the response part of a reply.</summary>
public static class HistoryClient
{
    /// <summary><c>&lt;user&gt; [&lt;op&gt; [&lt;n&gt;]]\n</c>.</summary>
    public static string Request(string user, string? op = null, string? argument = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        string[] words = [user, .. op is null ? [] : new[] { op }, .. argument is null ? [] : new[] { argument }];
        return string.Join(' ', words) + "\n";
    }

    /// <summary>
    /// A known user's reply is the clone line, the operations text and the response: this returns
    /// the response (possibly empty) as a person should see it, without the blank line the
    /// original put before operation 1's answer and without the line end after the history's last
    /// line. False when the reply is a one-line answer (an error, or the answer to <c>new</c>).
    /// </summary>
    public static bool TryGetResponse(string reply, out string response)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var marker = HistoryReplies.Operations + "\n";
        var at = reply.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0 || !reply.StartsWith("To download this server code", StringComparison.Ordinal))
        {
            response = string.Empty;
            return false;
        }

        var rest = reply.AsSpan(at + marker.Length);
        if (rest.StartsWith('\n'))
        {
            rest = rest[1..];
        }

        if (rest.EndsWith('\n'))
        {
            rest = rest[..^1];
        }

        response = rest.ToString();
        return true;
    }

    /// <summary>The name in <c>Your username is &lt;name&gt;.</c>, if the reply is that.</summary>
    public static bool TryGetNewUsername(string reply, out string name)
    {
        ArgumentNullException.ThrowIfNull(reply);
        const string prefix = "Your username is ";
        if (reply.StartsWith(prefix, StringComparison.Ordinal) && reply.EndsWith('.') && reply.Length > prefix.Length + 1)
        {
            name = reply[prefix.Length..^1];
            return !name.Contains(' ', StringComparison.Ordinal);
        }

        name = string.Empty;
        return false;
    }
}
