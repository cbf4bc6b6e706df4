namespace SocketHub.Protocol.Crypto;

public enum CryptoOperation
{
    /// <summary><c>#en#&lt;text&gt;#</c>: encrypt the text.</summary>
    Encrypt,

    /// <summary><c>#de#&lt;token&gt;#</c>: decrypt the token.</summary>
    Decrypt,

    /// <summary><c>#gk##</c>: tell the current key.</summary>
    GetKey,
}

/// <summary>What a request asked for, or what was wrong with it.</summary>
public enum CryptoRequestStatus
{
    Ok,

    /// <summary>Not of the form <c>#xx#...#</c>.</summary>
    Malformed,

    /// <summary>Of the form, but <c>xx</c> is not en, de or gk.</summary>
    UnknownOperation,
}

/// <summary>One parsed request. <see cref="Payload"/> is the text between the second <c>#</c> and the last.</summary>
public readonly record struct CryptoRequest(CryptoRequestStatus Status, CryptoOperation Operation = default, string Payload = "")
{
    /// <summary>The shortest request, <c>#gk##</c>.</summary>
    public const int MinLength = 5;

    /// <summary>
    /// True when <paramref name="frame"/> has the shape of a whole request, <c>#xx#...#</c>: a
    /// <c>#</c> first, a <c>#</c> after two operation bytes, and a <c>#</c> last. Whether the
    /// operation exists is not checked here: an unknown one is still a whole request, to be
    /// answered.
    /// </summary>
    public static bool IsComplete(ReadOnlySpan<byte> frame) =>
        frame.Length >= MinLength && frame[0] == (byte)'#' && frame[3] == (byte)'#' && frame[^1] == (byte)'#';

    /// <summary>Parses a request's text (the frame, line end removed, already checked to be UTF-8).</summary>
    public static CryptoRequest Parse(string request)
    {
        if (request.Length < MinLength || request[0] != '#' || request[3] != '#' || request[^1] != '#')
        {
            return new(CryptoRequestStatus.Malformed);
        }

        var payload = request[4..^1];
        return request.AsSpan(1, 2) switch
        {
            "en" => new(CryptoRequestStatus.Ok, CryptoOperation.Encrypt, payload),
            "de" => new(CryptoRequestStatus.Ok, CryptoOperation.Decrypt, payload),
            // gk takes nothing; a payload means the client meant something else.
            "gk" when payload.Length == 0 => new(CryptoRequestStatus.Ok, CryptoOperation.GetKey),
            "gk" => new(CryptoRequestStatus.Malformed),
            _ => new(CryptoRequestStatus.UnknownOperation),
        };
    }
}
