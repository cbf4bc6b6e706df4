using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.History;
using SocketHub.TestSupport;

namespace SocketHub.Server.Tests.History;

/// <summary>What the history tests expect on the wire, and the one-request client they talk with.</summary>
internal static partial class HistoryWire
{
    /// <summary>The original's operations text (its server.py's <c>_operations</c>), trailing spaces included.</summary>
    public const string Operations =
        "\n" +
        "Operations: \n" +
        " To delete history at a certain point, enter 1 after your password followed by an integer. \n" +
        " To receive server access history, enter 2 after your password. \n" +
        " To delete all history, enter 3 after your password.";

    /// <summary>The first two parts of a known user's reply and the separator before the third, the original's stray quote kept.</summary>
    public static string Head(string url = HistorySettings.PlaceholderRepositoryUrl) =>
        $"To download this server code, download Git and run 'git clone '{url}'\n{Operations}\n";

    /// <summary>
    /// Connects, sends <paramref name="request"/>, half-closes (like <c>nc -N</c>) and reads the
    /// reply until the server closes.
    /// </summary>
    public static async Task<string> AskAsync(this TestServer server, string request)
    {
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("history"));
        await client.SendAsync(request);
        client.ShutdownSend();
        return await client.ReadToEndAsync();
    }

    /// <summary>
    /// The history as <c>alice 2</c> shows it (alice must be a configured user), this request's own
    /// line included (its "got history" line is logged after the listing). Every line of a listing
    /// ends with <c>\n</c>, as the original's file did.
    /// </summary>
    public static async Task<string[]> ShowAsync(this TestServer server, string user = "alice")
    {
        var reply = await server.AskAsync($"{user} 2\n");
        return reply.StartsWith(Head(), StringComparison.Ordinal) && reply.EndsWith('\n')
            ? reply[Head().Length..^1].Split('\n')
            : throw new InvalidOperationException($"Not a history listing: {reply}");
    }

    public static Task<long> CountAsync(this TestServer server) =>
        server.App.Services.GetRequiredService<HistoryStore>().CountAsync();

    /// <summary>A logged request line from 127.0.0.1 for <paramref name="user"/>, any time.</summary>
    public static Regex RequestLine(string user) =>
        new($"^\\{{'127\\.0\\.0\\.1': '{Regex.Escape(user)} {Timestamp}'\\}}$");

    /// <summary>After operation 1: the connection's dict again, with the user's entry.</summary>
    public static Regex DeletedLine(string user, string line) =>
        new($"^\\{{'127\\.0\\.0\\.1': '{Regex.Escape(user)} {Timestamp}', '{Regex.Escape(user)}': 'Deleted at: {Regex.Escape(line)}'\\}}$");

    /// <summary>After operation 2: who read the history.</summary>
    public static Regex GotHistoryLine(string user) =>
        new($"^\\{{'127\\.0\\.0\\.1': '{Regex.Escape(user)} got history at {Timestamp}'\\}}$");

    /// <summary>Python's <c>str(datetime)</c>: no fraction when the microseconds are 0.</summary>
    public const string Timestamp = @"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})?";

    [GeneratedRegex(@"^Your username is (u-[a-z0-9]{10})\.$")]
    public static partial Regex NewUserReply();
}
