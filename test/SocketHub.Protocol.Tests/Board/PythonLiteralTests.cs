using System.Text;
using SocketHub.Protocol.Board;
using Xunit;

namespace SocketHub.Protocol.Tests.Board;

public sealed class PythonLiteralTests
{
    public static TheoryData<string> TrickyTexts => new()
    {
        "",
        "plain",
        "it's",
        "say \"hi\"",
        "both ' and \"",
        "back\\slash \\' \\\"",
        "line\nbreak\r\nand\ttab",
        "bell \u0007 esc \u001b del \u007f nul \0",
        "nbsp\u00a0 zwsp\u200b ls\u2028",
        "héllo 日本 😀 \U0001F600\U000E0001",
        "lone \ud800 surrogate",
        "(1, 'not a tuple'), ]",
    };

    [Theory]
    [MemberData(nameof(TrickyTexts))]
    public void Reads_back_what_PythonRepr_writes(string text)
    {
        var sb = new StringBuilder();
        PythonRepr.AppendString(sb, text);

        Assert.True(PythonLiteral.TryParseString(sb.ToString(), out var back));
        Assert.Equal(text, back);
    }

    [Fact]
    public void Reads_a_whole_board_list_back()
    {
        List<(long, string)> messages = [(1, "Server has Started"), (2, "it's \"x\""), (3, "a\nb"), (12345678901, "😀\u0007")];
        var reply = BoardReplies.MessageList(messages);

        Assert.True(BoardRequests.TryParseList(reply[..^1], out var back));
        Assert.Equal(messages, back);
    }

    [Theory]
    [InlineData("MSG[]%")]
    [InlineData("MSG[(7, '')]%")]
    public void Reads_the_exact_bytes_of_short_replies(string reply)
    {
        Assert.True(BoardRequests.TryParseList(reply[..^1], out var back));
        Assert.Equal(reply.Length == 6 ? 0 : 1, back.Count);
    }

    [Fact]
    public void Reads_python_escapes_it_does_not_write_itself()
    {
        Assert.True(PythonLiteral.TryParseString(@"'\a\b\f\v\x41\u00e9\U0001f600'", out var text));
        Assert.Equal("\a\b\f\vAé😀", text);
    }

    [Theory]
    [InlineData("[")]
    [InlineData("[(1, 'a')")]
    [InlineData("[(1, 'a'),]")]
    [InlineData("[(1 'a')]")]
    [InlineData("[(x, 'a')]")]
    [InlineData("[(1, 'a)]")]
    [InlineData("[(1, 'a\\q')]")]
    [InlineData("[(1, '\\x4')]")]
    [InlineData("[(1, '\\U00110000')]")]
    [InlineData("[(1, 'a')] extra")]
    [InlineData("[(1, 'a\nb')]")]
    [InlineData("[(99999999999999999999, 'a')]")]
    public void Refuses_what_is_not_a_message_list(string text)
    {
        Assert.False(PythonLiteral.TryParseMessageList(text, out _));
    }

    [Fact]
    public void An_error_reply_is_not_a_list()
    {
        Assert.False(BoardRequests.TryParseList("ERRUnknown Command", out _));
    }

    [Fact]
    public void Writes_the_requests_byte_for_byte()
    {
        Assert.Equal("POSThi there%\n"u8.ToArray(), Encoding.UTF8.GetBytes(BoardRequests.Post("hi there")));
        Assert.Equal("GET%\n"u8.ToArray(), Encoding.UTF8.GetBytes(BoardRequests.Get()));
        Assert.Equal("GET42%\n"u8.ToArray(), Encoding.UTF8.GetBytes(BoardRequests.Get(42)));
        Assert.Throws<ArgumentException>(() => BoardRequests.Post("100%"));
    }
}
