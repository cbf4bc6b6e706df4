using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;
using static SocketHub.Server.Tests.History.HistoryWire;

namespace SocketHub.Server.Tests.History;

/// <summary>Every row of the history's table in the spec, over a real socket, exact bytes.</summary>
public sealed class HistoryOperationsTests
{
    private static Task<TestServer> StartAsync(params string[] settings) =>
        TestServer.StartAsync(["History:Users:0=alice", "History:Users:1=bob", .. settings]);

    [Fact]
    public async Task Known_user_without_operation_gets_clone_line_operations_and_an_empty_response()
    {
        await using var server = await StartAsync();
        Assert.Equal(Head(), await server.AskAsync("alice\n"));
    }

    [Fact]
    public async Task Clone_line_names_the_configured_repository()
    {
        await using var server = await StartAsync("History:RepositoryUrl=https://github.com/course/simpleserver");
        Assert.Equal(
            "To download this server code, download Git and run 'git clone 'https://github.com/course/simpleserver'\n" + Operations + "\n",
            await server.AskAsync("bob\n"));
    }

    [Theory]
    [InlineData("mallory\n")]
    [InlineData("mallory 2\n")]
    [InlineData("Alice 2\n")]
    [InlineData("\n")]
    [InlineData("   \n")]
    public async Task Unknown_or_empty_user_gets_authentication_error_and_is_logged(string request)
    {
        await using var server = await StartAsync();
        Assert.Equal("Authentication error.", await server.AskAsync(request));
        Assert.Equal(1, await server.CountAsync());
    }

    [Fact]
    public async Task New_gives_a_random_name_that_then_works_as_a_user()
    {
        await using var server = await StartAsync();
        var first = NewUserReply().Match(await server.AskAsync("new\n"));
        var second = NewUserReply().Match(await server.AskAsync("new\n"));
        Assert.True(first.Success && second.Success);
        var name = first.Groups[1].Value;
        Assert.NotEqual(name, second.Groups[1].Value);

        Assert.Equal(Head(), await server.AskAsync($"{name}\n"));
        var lines = await server.ShowAsync(name);
        Assert.Equal(4, lines.Length);
        Assert.Matches(RequestLine("new"), lines[0]);
        Assert.Matches(RequestLine("new"), lines[1]);
        Assert.Matches(RequestLine(name), lines[2]);
        Assert.Matches(RequestLine(name), lines[3]);
    }

    [Fact]
    public async Task New_with_more_words_is_refused_but_logged()
    {
        await using var server = await StartAsync();
        Assert.Equal("Send new alone to get a username.", await server.AskAsync("new user please\n"));
        Assert.Equal(1, await server.CountAsync());
    }

    [Fact]
    public async Task Show_lists_every_line_oldest_first_including_this_request()
    {
        await using var server = await StartAsync();
        Assert.Equal("Authentication error.", await server.AskAsync("mallory\n"));
        Assert.Equal(Head(), await server.AskAsync("bob\n"));

        var lines = await server.ShowAsync();
        Assert.Equal(3, lines.Length);
        Assert.Matches(RequestLine("mallory"), lines[0]);
        Assert.Matches(RequestLine("bob"), lines[1]);
        Assert.Matches(RequestLine("alice"), lines[2]);
    }

    [Fact]
    public async Task Show_then_logs_who_got_the_history_as_the_original_did()
    {
        await using var server = await StartAsync();
        var reply = await server.AskAsync("alice 2\n");
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(Head())}\\{{'127\\.0\\.0\\.1': 'alice {Timestamp}'\\}}\n$", reply);

        var lines = await server.ShowAsync("bob");
        Assert.Equal(3, lines.Length);
        Assert.Matches(RequestLine("alice"), lines[0]);
        Assert.Matches(GotHistoryLine("alice"), lines[1]);
        Assert.Matches(RequestLine("bob"), lines[2]);
    }

    [Fact]
    public async Task Show_cuts_to_the_newest_max_lines_and_says_how_many_are_left_out()
    {
        await using var server = await StartAsync("History:MaxLines=3");
        foreach (var user in new[] { "u1", "u2", "u3", "u4" })
        {
            await server.AskAsync($"{user}\n");
        }

        var lines = await server.ShowAsync();
        Assert.Equal(4, lines.Length);
        Assert.Equal("(\u2026 2 older lines not shown)", lines[0]);
        Assert.Matches(RequestLine("u3"), lines[1]);
        Assert.Matches(RequestLine("u4"), lines[2]);
        Assert.Matches(RequestLine("alice"), lines[3]);
    }

    [Fact]
    public async Task Show_at_exactly_max_lines_has_no_cut_line()
    {
        await using var server = await StartAsync("History:MaxLines=2");
        await server.AskAsync("u1\n");
        var lines = await server.ShowAsync();
        Assert.Equal(2, lines.Length);
        Assert.Matches(RequestLine("u1"), lines[0]);
    }

    [Fact]
    public async Task Delete_line_removes_that_line_counting_the_line_just_logged_then_logs_the_deletion()
    {
        await using var server = await StartAsync();
        await server.AskAsync("u1\n");
        await server.AskAsync("u2\n");
        await server.AskAsync("u3\n");

        Assert.Equal(Head() + "\nHistory at 2 deleted by bob.", await server.AskAsync("bob 1 2\n"));

        var lines = await server.ShowAsync();
        Assert.Equal(5, lines.Length);
        Assert.Matches(RequestLine("u1"), lines[0]);
        Assert.Matches(RequestLine("u3"), lines[1]);
        Assert.Matches(RequestLine("bob"), lines[2]);
        Assert.Matches(DeletedLine("bob", "2"), lines[3]);
        Assert.Matches(RequestLine("alice"), lines[4]);
        Assert.Equal(lines[2][..^2], lines[3][..(lines[2].Length - 2)]); // the same request time in both
    }

    [Fact]
    public async Task Delete_line_can_remove_the_requests_own_line()
    {
        await using var server = await StartAsync();
        await server.AskAsync("u1\n");
        Assert.Equal(Head() + "\nHistory at 2 deleted by alice.", await server.AskAsync("alice 1 2\n"));
        var lines = await server.ShowAsync("bob");
        Assert.Matches(RequestLine("u1"), lines[0]);
        Assert.Matches(DeletedLine("alice", "2"), lines[1]);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public async Task Delete_line_echoes_the_number_as_typed()
    {
        await using var server = await StartAsync();
        Assert.Equal(Head() + "\nHistory at 01 deleted by alice.", await server.AskAsync("alice 1 01\n"));
        Assert.Equal(1, await server.CountAsync()); // only the deletion's own line is left
    }

    [Fact]
    public async Task Delete_without_a_line_number_says_so_and_deletes_nothing()
    {
        await using var server = await StartAsync();
        Assert.Equal(Head() + "Operation 1 needs a line number.", await server.AskAsync("alice 1\n"));
        Assert.Equal(1, await server.CountAsync());
    }

    [Theory]
    [InlineData("x")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("0x1")]
    public async Task Delete_with_a_word_python_cannot_read_as_an_integer_says_so_and_deletes_nothing(string line)
    {
        await using var server = await StartAsync();
        await server.AskAsync("u1\n");
        Assert.Equal(Head() + $"Line {line} does not exist.", await server.AskAsync($"alice 1 {line}\n"));
        Assert.Equal(2, await server.CountAsync());
    }

    [Theory]
    [InlineData("3")]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("-1")]
    [InlineData("2147483648")]
    [InlineData("9223372036854775807")]
    [InlineData("99999999999999999999999999")]
    public async Task Delete_of_a_line_that_is_not_there_answers_as_the_original_and_deletes_nothing(string line)
    {
        await using var server = await StartAsync();
        await server.AskAsync("u1\n");
        Assert.Equal(Head() + $"\nHistory at {line} deleted by alice.", await server.AskAsync($"alice 1 {line}\n"));

        var lines = await server.ShowAsync("bob");
        Assert.Equal(4, lines.Length);
        Assert.Matches(RequestLine("u1"), lines[0]);
        Assert.Matches(RequestLine("alice"), lines[1]);
        Assert.Matches(DeletedLine("alice", line), lines[2]);
    }

    [Theory]
    [InlineData("+1")]
    [InlineData("\u0661")]
    [InlineData("0_1")]
    public async Task Delete_reads_the_number_as_pythons_int_does(string line)
    {
        await using var server = await StartAsync();
        await server.AskAsync("u1\n");
        Assert.Equal(Head() + $"\nHistory at {line} deleted by alice.", await server.AskAsync($"alice 1 {line}\n"));

        var lines = await server.ShowAsync("bob");
        Assert.Equal(3, lines.Length);
        Assert.Matches(RequestLine("alice"), lines[0]);
        Assert.Matches(DeletedLine("alice", line), lines[1]);
    }

    [Fact]
    public async Task Delete_all_empties_the_history_then_logs_who_did_it()
    {
        await using var server = await StartAsync();
        await server.AskAsync("u1\n");
        await server.AskAsync("u2\n");
        Assert.Equal(Head() + "All history deleted.", await server.AskAsync("bob 3\n"));

        var lines = await server.ShowAsync();
        Assert.Equal(2, lines.Length);
        Assert.Matches($"^delete_all by bob at {Timestamp}$", lines[0]);
        Assert.Matches(RequestLine("alice"), lines[1]);
    }

    [Theory]
    [InlineData("4")]
    [InlineData("02")]
    [InlineData("show")]
    [InlineData("new")]
    public async Task Other_operation_is_invalid(string op)
    {
        await using var server = await StartAsync();
        Assert.Equal(Head() + "Either no operation or operation is invalid.", await server.AskAsync($"alice {op}\n"));
        Assert.Equal(1, await server.CountAsync());
    }

    [Fact]
    public async Task Words_after_the_operation_are_ignored()
    {
        await using var server = await StartAsync();
        Assert.Equal(Head() + "All history deleted.", await server.AskAsync("alice 3 now please\n"));
        var lines = await server.ShowAsync();
        Assert.Equal(2, lines.Length);
        Assert.Matches($"^delete_all by alice at {Timestamp}$", lines[0]);
    }

    [Fact]
    public async Task Log_line_is_a_valid_python_dict_when_the_user_word_has_quotes_or_control_characters()
    {
        await using var server = await StartAsync();
        Assert.Equal("Authentication error.", await server.AskAsync("it's\u0007\n"));
        Assert.Equal("Authentication error.", await server.AskAsync("a\"b'c\n"));
        var lines = await server.ShowAsync();
        Assert.Matches($"^\\{{'127\\.0\\.0\\.1': \"it's\\\\x07 {Timestamp}\"\\}}$", lines[0]);
        Assert.Matches($"^\\{{'127\\.0\\.0\\.1': 'a\"b\\\\'c {Timestamp}'\\}}$", lines[1]);
    }

    [Fact]
    public async Task Timestamps_are_the_servers_local_time_with_microseconds()
    {
        var clock = new ManualTimeProvider { Zone = TimeZoneInfo.CreateCustomTimeZone("plus-two", TimeSpan.FromHours(2), "plus-two", "plus-two") };
        var utc = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromTicks(1234567));
        await using var server = await TestServer.StartAsync(
            null, services => services.AddSingleton<TimeProvider>(clock), ["History:Users:0=alice"]);

        Assert.Equal("Authentication error.", await server.AskAsync("mallory\n"));
        await server.AskAsync("alice 3\n");
        var lines = await server.ShowAsync();

        var local = utc.ToOffset(TimeSpan.FromHours(2)).AddTicks(1234567);
        var expected = $"{local:yyyy-MM-dd HH:mm:ss}.123456";
        Assert.Equal($"delete_all by alice at {expected}", lines[0]);
        Assert.Equal($"{{'127.0.0.1': 'alice {expected}'}}", lines[1]);
    }
}
