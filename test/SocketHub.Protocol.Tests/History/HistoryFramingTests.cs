using System.Text;
using SocketHub.Protocol.Framing;
using SocketHub.Protocol.History;
using SocketHub.Protocol.Tests.Framing;
using Xunit;
using static SocketHub.Protocol.Tests.Framing.FrameBytes;

namespace SocketHub.Protocol.Tests.History;

public sealed class HistoryFramingTests
{
    [Theory]
    [InlineData("alice 2\n")]
    [InlineData("alice 2\r\n")]
    [InlineData("alice 2\r")]
    public void Any_line_end_ends_the_request(string input)
    {
        var outcome = Decoding.FeedPieces(HistoryFraming.Requests, Bytes(input));
        Assert.Equal("alice 2", Encoding.UTF8.GetString(outcome.Frames.Single()));
    }

    [Fact]
    public void A_request_split_at_every_offset_decodes_the_same()
    {
        var input = Bytes(Iac, Do, 1, "alice 1 12", Iac, Iac, "\r\n");
        for (var cut = 0; cut <= input.Length; cut++)
        {
            var outcome = Decoding.FeedPieces(HistoryFraming.Requests, input, cut);
            Assert.Equal(Bytes("alice 1 12", Iac), outcome.Frames.Single());
            Assert.Empty(outcome.Pending);
        }
    }

    [Fact]
    public void Leading_blank_line_is_an_empty_request_not_skipped()
    {
        var outcome = Decoding.FeedPieces(HistoryFraming.Requests, Bytes("\nalice\n"));
        Assert.Empty(outcome.Frames[0]);
    }

    [Fact]
    public void Request_without_line_end_stays_pending_for_the_half_close()
    {
        var outcome = Decoding.FeedPieces(HistoryFraming.Requests, Bytes("u-abc123 2"), 3);
        Assert.Empty(outcome.Frames);
        Assert.Equal(Bytes("u-abc123 2"), outcome.Pending);
    }

    [Fact]
    public void Exactly_2048_bytes_fit_and_2049_are_too_long()
    {
        var fits = Decoding.FeedPieces(HistoryFraming.Requests, Bytes(new string('a', 2048), "\n"));
        Assert.Equal(2048, fits.Frames.Single().Length);

        var over = Decoding.FeedPieces(HistoryFraming.Requests, Bytes(new string('a', 2049), "\n"), 1000);
        Assert.Equal(FrameStatus.TooLong, over.Final);
        Assert.Equal((1000, 2050), over.TooLongPacket);
    }

    [Fact]
    public void Limit_counts_bytes_not_characters()
    {
        var over = Decoding.FeedPieces(HistoryFraming.Requests, Bytes(string.Concat(Enumerable.Repeat("é", 1025)), "\n"));
        Assert.Equal(FrameStatus.TooLong, over.Final);
    }
}
