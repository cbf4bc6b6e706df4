using SocketHub.Protocol.History;
using Xunit;

namespace SocketHub.Protocol.Tests.History;

public sealed class HistoryClientTests
{
    [Fact]
    public void Writes_request_lines_the_server_parses()
    {
        Assert.Equal("new\n", HistoryClient.Request("new"));
        Assert.Equal("alice 2\n", HistoryClient.Request("alice", "2"));
        Assert.Equal("alice 1 3\n", HistoryClient.Request("alice", "1", "3"));
        Assert.Equal(new HistoryRequest("alice", HistoryOp.DeleteLine, "3", 3), HistoryRequest.Parse("alice 1 3"));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("All history deleted.", "All history deleted.")]
    [InlineData("\nHistory at 3 deleted by alice.", "History at 3 deleted by alice.")]
    [InlineData("{'127.0.0.1': 'alice 2026-11-21 12:00:00'}\n{'127.0.0.1': 'alice 2026-11-21 12:00:01.5'}\n", "{'127.0.0.1': 'alice 2026-11-21 12:00:00'}\n{'127.0.0.1': 'alice 2026-11-21 12:00:01.5'}")]
    public void Finds_the_response_in_a_users_reply_without_the_originals_extra_line_ends(string response, string shown)
    {
        var reply = HistoryReplies.ForUser("https://example.org/x", response);

        Assert.True(HistoryClient.TryGetResponse(reply, out var found));
        Assert.Equal(shown, found);
    }

    [Theory]
    [InlineData(HistoryReplies.AuthenticationError)]
    [InlineData(HistoryReplies.TooManyRequests)]
    [InlineData("Your username is u-abc.")]
    public void A_one_line_reply_has_no_response_part(string reply)
    {
        Assert.False(HistoryClient.TryGetResponse(reply, out _));
    }

    [Fact]
    public void Reads_a_new_username()
    {
        Assert.True(HistoryClient.TryGetNewUsername(HistoryReplies.YourUsername("u-k3f9x0q2ab"), out var name));
        Assert.Equal("u-k3f9x0q2ab", name);
        Assert.False(HistoryClient.TryGetNewUsername(HistoryReplies.AuthenticationError, out _));
    }
}
