using System.Text;
using SocketHub.Protocol.History;
using Xunit;

namespace SocketHub.Protocol.Tests.History;

/// <summary>
/// A history reply is not framed (it runs until the server closes); a client holds at most
/// <see cref="HistoryFraming.MaxReplyBytes"/> of it. These check that bound against the longest
/// lines the server can log.
/// </summary>
public sealed class HistoryReplyLimitTests
{
    private const string LongestAddress = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";

    private static readonly DateTimeOffset Time = new(2026, 11, 21, 12, 0, 0, 123, 456, TimeSpan.Zero);

    // A byte Python's repr writes in four (\x01): the longest escape per byte of a request.
    private static string Escaped(int bytes) => new('\u0001', bytes);

    [Theory]
    [InlineData(2044, 1)] // the user, logged twice, as long as a request allows
    [InlineData(1, 2044)] // the line word as long as a request allows
    public void The_longest_operation_1_line_fits_one_line_of_the_limit(int userBytes, int lineBytes)
    {
        var request = HistoryClient.Request(Escaped(userBytes), "1", Escaped(lineBytes));
        Assert.Equal(HistoryFraming.MaxRequestBytes, Encoding.UTF8.GetByteCount(request) - 1);

        var logged = HistoryLogLine.Deleted(LongestAddress, Escaped(userBytes), Time, Escaped(lineBytes));

        Assert.InRange(Encoding.UTF8.GetByteCount(logged) + 1, 1, HistoryFraming.MaxLineBytes);
    }

    [Fact]
    public void The_longest_request_line_fits_one_line_of_the_limit()
    {
        var logged = HistoryLogLine.Request(LongestAddress, Escaped(HistoryFraming.MaxRequestBytes), Time);

        Assert.InRange(Encoding.UTF8.GetByteCount(logged) + 1, 1, HistoryFraming.MaxLineBytes);
    }

    [Fact]
    public void A_full_history_of_the_longest_lines_fits_the_reply_limit()
    {
        var line = HistoryLogLine.Deleted(LongestAddress, Escaped(2044), Time, Escaped(1));
        var lines = Enumerable.Repeat(line, HistoryFraming.DefaultMaxLines).ToList();
        var url = "https://example.org/" + new string('r', 2000) + ".git";

        var reply = HistoryReplies.ForUser(url, HistoryReplies.HistoryList(lines, omitted: long.MaxValue));

        Assert.InRange(Encoding.UTF8.GetByteCount(reply), HistoryFraming.MaxReplyBytes / 2, HistoryFraming.MaxReplyBytes);
    }
}
