namespace SocketHub.Protocol.Board;

public enum BoardCommandKind
{
    Post,
    Get,
    Unknown,
}

/// <summary>One parsed board command.</summary>
/// <param name="Kind">What the command asks for.</param>
/// <param name="Text">For <see cref="BoardCommandKind.Post"/>: the text to store.</param>
/// <param name="SinceId">For <see cref="BoardCommandKind.Get"/>: list only ids above this; null lists the newest.</param>
public readonly record struct BoardCommand(BoardCommandKind Kind, string Text = "", long? SinceId = null)
{
    /// <summary>
    /// Parses a command's text (the frame without its <c>%</c>). Matching is case-sensitive on
    /// the prefix, as the original server did, so <c>POSTING</c> posts <c>ING</c>.
    /// </summary>
    public static BoardCommand Parse(string command)
    {
        if (command.StartsWith("POST", StringComparison.Ordinal))
        {
            return new(BoardCommandKind.Post, command[4..]);
        }

        if (command.StartsWith("GET", StringComparison.Ordinal))
        {
            return new(BoardCommandKind.Get, SinceId: ParseSince(command.AsSpan(3)));
        }

        return new(BoardCommandKind.Unknown);
    }

    /// <summary>
    /// <c>GET&lt;digits&gt;</c> polls for ids above the number; anything else after GET lists
    /// everything (the original matched on the prefix). A number too large for any id means
    /// "nothing newer".
    /// </summary>
    private static long? ParseSince(ReadOnlySpan<char> rest)
    {
        if (rest.IsEmpty || rest.ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        return long.TryParse(rest, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var since)
            ? since
            : long.MaxValue;
    }
}
