using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.History;

/// <summary>
/// The original history client's exchange, byte for byte: simpleserver's client_script/client.py
/// sends what was typed and <c>\n</c> in one <c>sendall</c>, does not half-close, and prints what
/// one <c>recv(2048)</c> returns. The server here has the original's users and repository URL and
/// a clock that moves only between requests, so every timestamp is known.
/// </summary>
public sealed class HistoryOriginalClientTests
{
    private const string Url = "https://github.com/ocramoa/simpleserver";

    /// <summary>The original's <c>_url</c> and <c>_operations</c> joined as its f-string joins them, and the <c>\n</c> before the response.</summary>
    private const string Head =
        "To download this server code, download Git and run 'git clone 'https://github.com/ocramoa/simpleserver'\n" +
        "\n" +
        "Operations: \n" +
        " To delete history at a certain point, enter 1 after your password followed by an integer. \n" +
        " To receive server access history, enter 2 after your password. \n" +
        " To delete all history, enter 3 after your password.\n";

    private static readonly string[] OriginalUsers = ["1111", "kaedon", "bagelforever", "password", "brick", "byui"];

    [Fact]
    public async Task Each_operation_is_answered_and_logged_as_the_original_did()
    {
        var clock = new ManualTimeProvider { Zone = TimeZoneInfo.Utc }; // starts at 2026-01-01 00:00:00.000000
        await using var server = await TestServer.StartAsync(
            null,
            services => services.AddSingleton<TimeProvider>(clock),
            [$"History:RepositoryUrl={Url}", .. OriginalUsers.Select((u, i) => $"History:Users:{i}={u}")]);

        // Python prints a datetime without its fraction when the microseconds are 0.
        const string t0 = "2026-01-01 00:00:00";
        Assert.Equal(Head, await AskAsync(server, "kaedon"));

        clock.Advance(TimeSpan.FromTicks(12_345_670)); // 1.234567 s
        const string t1 = "2026-01-01 00:00:01.234567";
        Assert.Equal(
            Head +
            $"{{'127.0.0.1': 'kaedon {t0}'}}\n" +
            $"{{'127.0.0.1': 'kaedon {t1}'}}\n",
            await AskAsync(server, "kaedon 2"));

        clock.Advance(TimeSpan.FromTicks(12_345_670));
        const string t2 = "2026-01-01 00:00:02.469134";
        Assert.Equal(Head + "\nHistory at 2 deleted by kaedon.", await AskAsync(server, "kaedon 1 2"));

        clock.Advance(TimeSpan.FromTicks(12_345_670));
        const string t3 = "2026-01-01 00:00:03.703701";
        Assert.Equal(
            Head +
            $"{{'127.0.0.1': 'kaedon {t0}'}}\n" +
            $"{{'127.0.0.1': 'kaedon got history at {t1}'}}\n" +
            $"{{'127.0.0.1': 'kaedon {t2}'}}\n" +
            $"{{'127.0.0.1': 'kaedon {t2}', 'kaedon': 'Deleted at: 2'}}\n" +
            $"{{'127.0.0.1': 'kaedon {t3}'}}\n",
            await AskAsync(server, "kaedon 2"));

        Assert.Equal(Head + "Either no operation or operation is invalid.", await AskAsync(server, "kaedon 5"));
        Assert.Equal("Authentication error.", await AskAsync(server, "nobody 2"));

        // The original deleted nothing for a number past the end, and said the same.
        Assert.Equal(Head + "\nHistory at 99 deleted by kaedon.", await AskAsync(server, "kaedon 1 99"));
        Assert.Equal(Head + "\nHistory at +1 deleted by kaedon.", await AskAsync(server, "kaedon 1 +1"));

        clock.Advance(TimeSpan.FromTicks(12_345_670));
        const string t4 = "2026-01-01 00:00:04.938268";
        Assert.Equal(Head + "All history deleted.", await AskAsync(server, "kaedon 3"));

        clock.Advance(TimeSpan.FromTicks(12_345_670));
        const string t5 = "2026-01-01 00:00:06.172835";
        Assert.Equal(
            Head +
            $"delete_all by kaedon at {t4}\n" +
            $"{{'127.0.0.1': 'kaedon {t5}'}}\n",
            await AskAsync(server, "kaedon 2"));

        // Words after the operation were ignored; each listing was followed by its "got history" line.
        Assert.Equal(
            Head +
            $"delete_all by kaedon at {t4}\n" +
            $"{{'127.0.0.1': 'kaedon {t5}'}}\n" +
            $"{{'127.0.0.1': 'kaedon got history at {t5}'}}\n" +
            $"{{'127.0.0.1': 'brick {t5}'}}\n",
            await AskAsync(server, "brick 2 extra words"));
    }

    [Theory]
    [InlineData("kaedon 1 x", Head + "Line x does not exist.")]
    [InlineData("kaedon 1", Head + "Operation 1 needs a line number.")]
    [InlineData("", "Authentication error.")]
    public async Task Where_the_original_crashed_and_sent_nothing_there_is_a_clear_reply(string typed, string reply)
    {
        await using var server = await TestServer.StartAsync($"History:RepositoryUrl={Url}", "History:Users:0=kaedon");
        Assert.Equal(reply, await AskAsync(server, typed));
    }

    /// <summary>One run of the original client: the typed text and <c>\n</c>, then what comes back before the close.</summary>
    private static async Task<string> AskAsync(TestServer server, string typed)
    {
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("history"));
        await client.SendAsync(typed + "\n");
        return await client.ReadToEndAsync();
    }
}
