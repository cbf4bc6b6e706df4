using System.Text.Json;
using SocketHub.Protocol.History;
using Xunit;

namespace SocketHub.Protocol.Tests.History;

public sealed class HistoryLogLineTests
{
    private static readonly DateTimeOffset Noon = new DateTimeOffset(2026, 11, 21, 12, 0, 5, TimeSpan.FromHours(1)).AddTicks(1234560);

    [Fact]
    public void Request_line_is_a_python_dict_of_address_and_user_with_local_time()
    {
        Assert.Equal(
            "{'127.0.0.1': 'alice 2026-11-21 12:00:05.123456'}",
            HistoryLogLine.Request("127.0.0.1", "alice", Noon));
    }

    [Fact]
    public void Timestamp_is_pythons_str_of_a_datetime()
    {
        Assert.Equal("2026-01-02 03:04:05.000001", HistoryLogLine.Timestamp(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(19)));
        Assert.Equal("2026-01-02 03:04:05.120000", HistoryLogLine.Timestamp(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 120, TimeSpan.Zero)));

        // Python leaves the fraction out when the microseconds are exactly 0 (ticks below a microsecond are not kept).
        Assert.Equal("2026-01-02 03:04:05", HistoryLogLine.Timestamp(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(9)));
    }

    [Fact]
    public void After_operation_1_the_connections_dict_also_holds_the_users_entry()
    {
        Assert.Equal(
            "{'127.0.0.1': 'alice 2026-11-21 12:00:05.123456', 'alice': 'Deleted at: 3'}",
            HistoryLogLine.Deleted("127.0.0.1", "alice", Noon, "3"));
    }

    [Fact]
    public void A_user_word_equal_to_the_address_replaces_its_entry_as_a_python_dict_does()
    {
        Assert.Equal("{'10.0.0.1': 'Deleted at: +1'}", HistoryLogLine.Deleted("10.0.0.1", "10.0.0.1", Noon, "+1"));
    }

    [Fact]
    public void After_operation_2_the_address_entry_says_who_got_the_history()
    {
        Assert.Equal("{'127.0.0.1': 'alice got history at 2026-11-21 12:00:05.123456'}", HistoryLogLine.GotHistory("127.0.0.1", "alice", Noon));
    }

    [Fact]
    public void Empty_user_leaves_a_leading_space_before_the_time()
    {
        Assert.Equal("{'::1': ' 2026-11-21 12:00:05.123456'}", HistoryLogLine.Request("::1", string.Empty, Noon));
    }

    [Theory]
    [InlineData("it's", "{'10.0.0.1': \"it's 2026-11-21 12:00:05.123456\"}")]
    [InlineData("a\"b'c", "{'10.0.0.1': 'a\"b\\'c 2026-11-21 12:00:05.123456'}")]
    [InlineData("back\\slash", "{'10.0.0.1': 'back\\\\slash 2026-11-21 12:00:05.123456'}")]
    [InlineData("bell\u0007", "{'10.0.0.1': 'bell\\x07 2026-11-21 12:00:05.123456'}")]
    public void Quotes_and_control_characters_are_escaped_as_python_does(string user, string expected)
    {
        Assert.Equal(expected, HistoryLogLine.Request("10.0.0.1", user, Noon));
    }

    [Fact]
    public void Delete_all_line_names_the_user_and_the_time()
    {
        Assert.Equal("delete_all by alice at 2026-11-21 12:00:05.123456", HistoryLogLine.DeleteAll("alice", Noon));
    }

    [Fact]
    public void Python_reads_every_line_back_to_the_same_dict()
    {
        string[] users = ["alice", "it's", "a\"b'c", "x\\y", "bell\u0007", "tab\tin", "é😀", "\u200b", ""];
        var lines = users.Select(u => HistoryLogLine.Request("127.0.0.1", u, Noon)).ToList();
        var script = "import ast, json, sys\n" +
            "for line in sys.stdin.read().split('\\n'):\n" +
            "    d = ast.literal_eval(line)\n" +
            "    assert str(d) == line, (str(d), line)\n" +
            "    print(json.dumps(d['127.0.0.1']))\n";
        var output = Python.Run(script, string.Join('\n', lines));
        var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<string>(l)).ToList();
        Assert.Equal(users.Select(u => u + " 2026-11-21 12:00:05.123456"), values);
    }

    [Fact]
    public void Operation_lines_are_what_python_prints_for_the_same_dict_updates()
    {
        string[] users = ["alice", "it's", "127.0.0.1", "é😀"];
        var ours = users.SelectMany(u => new[]
        {
            HistoryLogLine.Deleted("127.0.0.1", u, Noon, "+3"),
            HistoryLogLine.GotHistory("127.0.0.1", u, Noon),
        });

        // The original kept one dict per connection and logged str(dict) after each update.
        var script = "import json, sys\n" +
            "t = '2026-11-21 12:00:05.123456'\n" +
            "for u in json.load(sys.stdin):\n" +
            "    h = {}\n" +
            "    h.update({'127.0.0.1': u + ' ' + t})\n" +
            "    h.update({u: 'Deleted at: +3'})\n" +
            "    print(h)\n" +
            "    h = {}\n" +
            "    h.update({'127.0.0.1': u + ' ' + t})\n" +
            "    h.update({'127.0.0.1': u + ' got history at ' + t})\n" +
            "    print(h)\n";
        var python = Python.Run(script, JsonSerializer.Serialize(users)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(python, ours);
    }
}
