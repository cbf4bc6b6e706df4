using System.Text.RegularExpressions;
using SocketHub.TestSupport;

namespace SocketHub.Server.Tests.Crypto;

/// <summary>Small helpers for talking to the crypto port: one request, one reply line.</summary>
internal static partial class CryptoClient
{
    public static async Task<string> AskAsync(this RawClient client, string request)
    {
        await client.SendAsync(request + "\n");
        return await client.ReadRepliesAsync(1, '\n');
    }

    /// <summary>The payload of a <c>#xx#payload#\n</c> reply, after checking its operation.</summary>
    public static string PayloadOf(string reply, string operation)
    {
        if (!reply.StartsWith($"#{operation}#", StringComparison.Ordinal) || !reply.EndsWith("#\n", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Expected a #{operation}# reply, got: {reply}");
        }

        return reply[4..^2];
    }

    public static async Task<string> KeyAsync(this RawClient client) => PayloadOf(await client.AskAsync("#gk##"), "gk");

    public static async Task<string> EncryptAsync(this RawClient client, string text) =>
        PayloadOf(await client.AskAsync($"#en#{text}#"), "en");

    /// <summary>A <c>#gk#</c> reply carrying a Fernet key.</summary>
    [GeneratedRegex(@"^#gk#[A-Za-z0-9_-]{43}=#\n$")]
    public static partial Regex KeyReply();

    /// <summary>An <c>#en#</c> reply carrying a Fernet token.</summary>
    [GeneratedRegex(@"^#en#gAAAAA[A-Za-z0-9_-]+=*#\n$")]
    public static partial Regex TokenReply();
}
