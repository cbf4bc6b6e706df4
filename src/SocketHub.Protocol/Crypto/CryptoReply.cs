namespace SocketHub.Protocol.Crypto;

/// <summary>
/// A crypto reply as a client reads it: <c>#&lt;op&gt;#&lt;payload&gt;#</c> (line end removed), where op is
/// <c>en</c>, <c>de</c>, <c>gk</c> or <c>er</c> (then the payload is the reason).
/// </summary>
public readonly record struct CryptoReply(string Operation, string Payload)
{
    public bool IsError => Operation == "er";

    /// <summary>The request line for an operation: <c>#en#text#\n</c>, <c>#gk##\n</c>.</summary>
    public static string Request(CryptoOperation operation, string payload = "")
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Contains('\n', StringComparison.Ordinal) || payload.Contains('\r', StringComparison.Ordinal))
        {
            throw new ArgumentException("A crypto request cannot hold a line break.", nameof(payload));
        }

        var op = operation switch
        {
            CryptoOperation.Encrypt => "en",
            CryptoOperation.Decrypt => "de",
            _ => "gk",
        };
        return $"#{op}#{payload}#\n";
    }

    /// <summary>Reads a reply line; false when it does not have the reply shape.</summary>
    public static bool TryParse(string line, out CryptoReply reply)
    {
        ArgumentNullException.ThrowIfNull(line);
        reply = default;
        if (line.Length < CryptoRequest.MinLength || line[0] != '#' || line[3] != '#' || line[^1] != '#')
        {
            return false;
        }

        reply = new CryptoReply(line.Substring(1, 2), line[4..^1]);
        return true;
    }
}
