namespace SocketHub.Protocol.Chat;

/// <summary>
/// The username rule: 1 to 32 of <c>A-Z a-z 0-9 _ . -</c>. Names are case-sensitive
/// (<c>Alice</c> and <c>alice</c> are two accounts), as in COMP3331's credentials file.
/// </summary>
public static class ChatUsername
{
    public const int MaxLength = 32;

    /// <summary>
    /// Names nobody may register, compared without case and without <c>_ . -</c>: a message from
    /// a user named <c>SERVER</c> reads <c>SERVER: …</c> on the text port, exactly like the
    /// server's own alerts; the others read as the server too.
    /// </summary>
    public static IReadOnlyList<string> Reserved { get; } = ["server", "sockethub", "system"];

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True for a name that could pass for the server (<see cref="Reserved"/>): <c>SERVER</c>,
    /// <c>Server</c>, <c>s.e.r.v.e.r</c>, <c>_server_</c>. Only registration looks at it: an
    /// account that exists already (made before the rule, or by the credentials file) keeps working.
    /// </summary>
    public static bool IsReserved(string name)
    {
        var folded = string.Concat(name.Where(c => c is not ('_' or '.' or '-'))).ToLowerInvariant();
        return Reserved.Contains(folded, StringComparer.Ordinal);
    }
}
