using System.Text;
using SocketHub.Protocol.History;
using Xunit;

namespace SocketHub.Protocol.Tests.History;

public sealed class HistoryRepliesTests
{
    private const string Url = "https://example.org/course/simpleserver.git";

    private const string Head =
        "To download this server code, download Git and run 'git clone https://example.org/course/simpleserver.git'\n" +
        "\n" +
        "Operations:\n" +
        "1 <n>  delete the history line n\n" +
        "2      show the history\n" +
        "3      delete all history\n" +
        "new    get a username (send it alone)\n";

    [Fact]
    public void Known_user_reply_is_the_three_parts_joined_by_newlines()
    {
        Assert.Equal(Encoding.UTF8.GetBytes(Head + "All history deleted."), Encoding.UTF8.GetBytes(HistoryReplies.ForUser(Url, HistoryReplies.AllDeleted)));
    }

    [Fact]
    public void Known_user_reply_without_operation_ends_with_the_separator_before_the_empty_response()
    {
        Assert.Equal(Head, HistoryResponse.ForUser(string.Empty).Render(Url));
    }

    [Fact]
    public void Operations_text_starts_with_a_blank_line_and_has_one_line_per_operation()
    {
        var lines = HistoryReplies.Operations.Split('\n');
        Assert.Equal(["", "Operations:", "1 <n>  delete the history line n", "2      show the history", "3      delete all history", "new    get a username (send it alone)"], lines);
    }

    [Fact]
    public void Lines_of_their_own_are_sent_as_they_are()
    {
        Assert.Equal("Authentication error.", HistoryResponse.Line(HistoryReplies.AuthenticationError).Render(Url));
        Assert.Equal("Your username is u-abc123def4.", HistoryResponse.Line(HistoryReplies.YourUsername("u-abc123def4"), isError: false).Render(Url));
    }

    [Fact]
    public void Response_texts_are_the_specs()
    {
        Assert.Equal("History at 3 deleted by alice.", HistoryReplies.LineDeleted("3", "alice"));
        Assert.Equal("Line 9 does not exist.", HistoryReplies.LineDoesNotExist("9"));
        Assert.Equal("Line x does not exist.", HistoryReplies.LineDoesNotExist("x"));
        Assert.Equal("Operation 1 needs a line number.", HistoryReplies.NeedsLineNumber);
        Assert.Equal("All history deleted.", HistoryReplies.AllDeleted);
        Assert.Equal("Either no operation or operation is invalid.", HistoryReplies.InvalidOperation);
        Assert.Equal("Too many requests.", HistoryReplies.TooManyRequests);
        Assert.Equal("Authentication error.", HistoryReplies.AuthenticationError);
    }

    [Fact]
    public void History_list_is_one_entry_a_line_with_no_trailing_newline()
    {
        Assert.Equal("a\nb\nc", HistoryReplies.HistoryList(["a", "b", "c"], 0));
        Assert.Equal(string.Empty, HistoryReplies.HistoryList([], 0));
    }

    [Fact]
    public void Cut_history_starts_with_the_count_of_lines_left_out()
    {
        var text = HistoryReplies.HistoryList(["y", "z"], 1234);
        Assert.Equal("(\u2026 1234 older lines not shown)\ny\nz", text);
        Assert.Equal(
            [0x28, 0xE2, 0x80, 0xA6, 0x20, 0x31, 0x32, 0x33, 0x34],
            Encoding.UTF8.GetBytes(text)[..9]);
    }
}
