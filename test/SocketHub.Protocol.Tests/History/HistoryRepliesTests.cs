using System.Text;
using SocketHub.Protocol.History;
using Xunit;

namespace SocketHub.Protocol.Tests.History;

public sealed class HistoryRepliesTests
{
    private const string Url = "https://github.com/ocramoa/simpleserver";

    /// <summary>
    /// The original's clone line and operations text, each joined by <c>\n</c>, and the
    /// <c>\n</c> before the response: read from its server.py (its <c>_url</c>, its
    /// <c>_operations</c> and the f-string that joins them), quirks kept.
    /// </summary>
    private const string Head =
        "To download this server code, download Git and run 'git clone 'https://github.com/ocramoa/simpleserver'\n" +
        "\n" +
        "Operations: \n" +
        " To delete history at a certain point, enter 1 after your password followed by an integer. \n" +
        " To receive server access history, enter 2 after your password. \n" +
        " To delete all history, enter 3 after your password.\n";

    [Fact]
    public void Known_user_reply_is_the_originals_three_parts_joined_by_newlines()
    {
        Assert.Equal(Encoding.UTF8.GetBytes(Head + "All history deleted."), Encoding.UTF8.GetBytes(HistoryReplies.ForUser(Url, HistoryReplies.AllDeleted)));
        Assert.Equal(328, Encoding.UTF8.GetByteCount(Head)); // the length of the original's reply to "kaedon" alone
    }

    [Fact]
    public void Known_user_reply_without_operation_ends_with_the_separator_before_the_empty_response()
    {
        Assert.Equal(Head, HistoryResponse.ForUser(string.Empty).Render(Url));
    }

    [Fact]
    public void Clone_line_keeps_the_originals_stray_quote_around_the_configured_url()
    {
        Assert.Equal(
            "To download this server code, download Git and run 'git clone 'https://example.org/course.git'",
            HistoryReplies.CloneLine("https://example.org/course.git"));
    }

    [Fact]
    public void Operations_text_is_the_originals_with_its_blank_line_and_trailing_spaces()
    {
        var lines = HistoryReplies.Operations.Split('\n');
        Assert.Equal(
            [
                "",
                "Operations: ",
                " To delete history at a certain point, enter 1 after your password followed by an integer. ",
                " To receive server access history, enter 2 after your password. ",
                " To delete all history, enter 3 after your password.",
            ],
            lines);
    }

    [Fact]
    public void Lines_of_their_own_are_sent_as_they_are()
    {
        Assert.Equal("Authentication error.", HistoryResponse.Line(HistoryReplies.AuthenticationError).Render(Url));
        Assert.Equal("Your username is u-abc123def4.", HistoryResponse.Line(HistoryReplies.YourUsername("u-abc123def4"), isError: false).Render(Url));
    }

    [Fact]
    public void Response_texts_are_the_originals()
    {
        Assert.Equal("\nHistory at 3 deleted by alice.", HistoryReplies.LineDeleted("3", "alice"));
        Assert.Equal("All history deleted.", HistoryReplies.AllDeleted);
        Assert.Equal("Either no operation or operation is invalid.", HistoryReplies.InvalidOperation);
        Assert.Equal("Authentication error.", HistoryReplies.AuthenticationError);
    }

    [Fact]
    public void Texts_where_the_original_sent_nothing_are_ours()
    {
        Assert.Equal("Line x does not exist.", HistoryReplies.NotALineNumber("x"));
        Assert.Equal("Operation 1 needs a line number.", HistoryReplies.NeedsLineNumber);
        Assert.Equal("Too many requests.", HistoryReplies.TooManyRequests);
    }

    [Fact]
    public void History_list_is_the_files_text_every_line_ended()
    {
        Assert.Equal("a\nb\nc\n", HistoryReplies.HistoryList(["a", "b", "c"], 0));
        Assert.Equal(string.Empty, HistoryReplies.HistoryList([], 0));
    }

    [Fact]
    public void Cut_history_starts_with_the_count_of_lines_left_out()
    {
        var text = HistoryReplies.HistoryList(["y", "z"], 1234);
        Assert.Equal("(\u2026 1234 older lines not shown)\ny\nz\n", text);
        Assert.Equal(
            [0x28, 0xE2, 0x80, 0xA6, 0x20, 0x31, 0x32, 0x33, 0x34],
            Encoding.UTF8.GetBytes(text)[..9]);
    }
}
