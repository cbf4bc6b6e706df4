using SocketHub.Protocol.History;
using Xunit;

namespace SocketHub.Protocol.Tests.History;

public sealed class HistoryRequestTests
{
    [Theory]
    [InlineData("", "", HistoryOp.None)]
    [InlineData("   \t ", "", HistoryOp.None)]
    [InlineData("alice", "alice", HistoryOp.None)]
    [InlineData("  alice  ", "alice", HistoryOp.None)]
    [InlineData("alice 2", "alice", HistoryOp.Show)]
    [InlineData("alice\t2", "alice", HistoryOp.Show)]
    [InlineData("alice \u00a0 2", "alice", HistoryOp.Show)]
    [InlineData("alice 3", "alice", HistoryOp.DeleteAll)]
    [InlineData("alice 4", "alice", HistoryOp.Invalid)]
    [InlineData("alice two", "alice", HistoryOp.Invalid)]
    [InlineData("alice 02", "alice", HistoryOp.Invalid)]
    [InlineData("new", "new", HistoryOp.NewUser)]
    [InlineData(" new ", "new", HistoryOp.NewUser)]
    [InlineData("new please", "new", HistoryOp.NewWithExtraWords)]
    [InlineData("New", "New", HistoryOp.None)]
    public void Splits_user_and_operation_on_whitespace(string text, string user, HistoryOp op)
    {
        var request = HistoryRequest.Parse(text);
        Assert.Equal(user, request.User);
        Assert.Equal(op, request.Op);
    }

    [Theory]
    [InlineData("alice 2 extra words", HistoryOp.Show)]
    [InlineData("alice 3 now", HistoryOp.DeleteAll)]
    [InlineData("alice 1 2 3 4", HistoryOp.DeleteLine)]
    public void Words_after_the_operation_are_ignored(string text, HistoryOp op) =>
        Assert.Equal(op, HistoryRequest.Parse(text).Op);

    [Theory]
    [InlineData("alice 1 7", "7", 7L)]
    [InlineData("alice 1 007", "007", 7L)]
    [InlineData("alice 1 0", "0", 0L)]
    [InlineData("alice 1 -3", "-3", -3L)]
    [InlineData("alice 1 +3", "+3", 3L)]
    [InlineData("alice 1 1_0", "1_0", 10L)]
    [InlineData("alice 1 \u0663", "\u0663", 3L)]
    [InlineData("alice 1 9223372036854775807", "9223372036854775807", long.MaxValue)]
    [InlineData("alice 1 99999999999999999999999", "99999999999999999999999", long.MaxValue)]
    [InlineData("alice 1 3.0", "3.0", null)]
    [InlineData("alice 1 x", "x", null)]
    [InlineData("alice 1 0x10", "0x10", null)]
    [InlineData("alice 1 _1", "_1", null)]
    [InlineData("alice 1 1_", "1_", null)]
    [InlineData("alice 1 1__0", "1__0", null)]
    [InlineData("alice 1 +", "+", null)]
    [InlineData("alice 1 --3", "--3", null)]
    public void Line_number_is_kept_as_typed_and_read_as_python_int_reads_it(string text, string typed, long? line)
    {
        var request = HistoryRequest.Parse(text);
        Assert.Equal(HistoryOp.DeleteLine, request.Op);
        Assert.Equal(typed, request.LineText);
        Assert.Equal(line, request.Line);
    }

    [Fact]
    public void Python_int_agrees_with_python_on_every_word()
    {
        string[] words = ["7", "007", "-0", "+12", "1_000", "\u0663\u0661", "\U0001D7D9", "\uff11\uff12", "1.0", "1e3", "x", "_1", "1_", "1__2", "+-1", "", "\u00b2", "\u2167"];
        var script = "import json, sys\n" +
            "for w in json.load(sys.stdin):\n" +
            "    try:\n" +
            "        print(int(w))\n" +
            "    except ValueError:\n" +
            "        print('error')\n";
        var expected = Python.Run(script, System.Text.Json.JsonSerializer.Serialize(words)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var actual = words.Select(w => PythonInt.TryParse(w, out var v) ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "error");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Missing_line_number_is_null()
    {
        var request = HistoryRequest.Parse("alice 1");
        Assert.Equal(HistoryOp.DeleteLine, request.Op);
        Assert.Null(request.LineText);
        Assert.Null(request.Line);
    }

    [Fact]
    public void User_word_keeps_quotes_and_control_characters()
    {
        var request = HistoryRequest.Parse("it's\u0001me 2");
        Assert.Equal("it's\u0001me", request.User);
        Assert.Equal(HistoryOp.Show, request.Op);
    }
}
