using System.Diagnostics;
using System.Text;
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
    public void Timestamp_always_has_six_fraction_digits()
    {
        Assert.Equal("2026-01-02 03:04:05.000000", HistoryLogLine.Timestamp(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));
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
        var output = RunPython(script, string.Join('\n', lines));
        var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<string>(l)).ToList();
        Assert.Equal(users.Select(u => u + " 2026-11-21 12:00:05.123456"), values);
    }

    private static string RunPython(string script, string input)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var python = Process.Start(start)!;
        python.StandardInput.Write(input);
        python.StandardInput.Close();
        var output = python.StandardOutput.ReadToEnd();
        var error = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, error);
        return output;
    }
}
