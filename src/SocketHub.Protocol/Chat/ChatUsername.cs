namespace SocketHub.Protocol.Chat;

/// <summary>
/// The username rule: 1 to 32 of <c>A-Z a-z 0-9 _ . -</c>. Names are case-sensitive
/// (<c>Alice</c> and <c>alice</c> are two accounts), as in COMP3331's credentials file.
/// </summary>
public static class ChatUsername
{
    public const int MaxLength = 32;

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
}
