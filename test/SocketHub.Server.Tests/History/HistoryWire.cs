using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.History;
using SocketHub.Server.Tests.Infrastructure;

namespace SocketHub.Server.Tests.History;

/// <summary>What the history tests expect on the wire, and the one-request client they talk with.</summary>
internal static partial class HistoryWire
{
    public const string Operations =
        "\n" +
        "Operations:\n" +
        "1 <n>  delete the history line n\n" +
        "2      show the history\n" +
        "3      delete all history\n" +
        "new    get a username (send it alone)";

    /// <summary>The first two parts of a known user's reply and the separator before the third.</summary>
    public static string Head(string url = HistorySettings.PlaceholderRepositoryUrl) =>
        $"To download this server code, download Git and run 'git clone {url}'\n{Operations}\n";

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

    /// <summary>The history as <c>alice 2</c> shows it (alice must be a configured user), this request's own line included.</summary>
    public static async Task<string[]> ShowAsync(this TestServer server, string user = "alice")
    {
        var reply = await server.AskAsync($"{user} 2\n");
        return reply.StartsWith(Head(), StringComparison.Ordinal)
            ? reply[Head().Length..].Split('\n')
            : throw new InvalidOperationException($"Not a history listing: {reply}");
    }

    public static Task<long> CountAsync(this TestServer server) =>
        server.App.Services.GetRequiredService<HistoryStore>().CountAsync();

    /// <summary>A logged request line from 127.0.0.1 for <paramref name="user"/>, any time.</summary>
    public static Regex RequestLine(string user) =>
        new($"^\\{{'127\\.0\\.0\\.1': '{Regex.Escape(user)} {Timestamp}'\\}}$");

    public const string Timestamp = @"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}";

    [GeneratedRegex(@"^Your username is (u-[a-z0-9]{10})\.$")]
    public static partial Regex NewUserReply();
}
