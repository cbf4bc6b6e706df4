using System.Text;
using SocketHub.Protocol.Board;
using SocketHub.Protocol.Framing;
using SocketHub.Protocol.Tests.Framing;
using Xunit;
using static SocketHub.Protocol.Tests.Framing.FrameBytes;

namespace SocketHub.Protocol.Tests.Board;

/// <summary>
/// What a client reads from the board: <c>MSG...%</c> and <c>ERR...%</c> replies, counted in
/// bytes, up to a list of a hundred messages at their longest.
/// </summary>
public sealed class BoardReplyFramingTests
{
    private static readonly FrameOptions Replies = BoardFraming.Replies;

    // A character Python's repr cannot print and writes in its longest escape, \U000e0001 (10 bytes).
    private const string LongestEscaped = "\U000E0001";

    [Fact]
    public void Replies_end_at_percent_one_frame_each()
    {
        var outcome = Decoding.FeedPieces(Replies, Bytes("MSGPosting Message!%ERRRate Limited%MSG[(1, 'a b')]%"));

        Assert.Equal(
            DecodeOutcome.Complete(Bytes("MSGPosting Message!"), Bytes("ERRRate Limited"), Bytes("MSG[(1, 'a b')]")).Describe(),
            outcome.Describe());
    }

    [Fact]
    public void A_list_of_sixty_100_character_messages_is_a_reply_but_no_request()
    {
        // The board's first message and sixty more, 6,623 bytes: once too long for the request
        // framing a client read its replies with.
        var list = BoardReplies.MessageList([(1, "Server has Started"), .. Enumerable.Range(2, 60).Select(i => ((long)i, new string('m', 100)))]);
        var bytes = Bytes(list);
        Assert.Equal(6623, bytes.Length);

        var reply = Decoding.FeedPieces(Replies, bytes, 1000, 4000);
        var asRequest = Decoding.FeedPieces(BoardFraming.Requests, bytes);

        Assert.Equal(list[..^1], Encoding.UTF8.GetString(Assert.Single(reply.Frames)));
        Assert.Equal(FrameStatus.TooLong, asRequest.Final);
    }

    [Fact]
    public void The_longest_list_of_the_default_100_messages_fits()
    {
        // Every character in its longest escape, every id as long as an id can be.
        var text = string.Concat(Enumerable.Repeat(LongestEscaped, BoardFraming.MaxTextLength));
        var messages = Enumerable.Range(0, BoardFraming.DefaultMaxListed).Select(i => (long.MaxValue - i, text)).ToList();
        var bytes = Bytes(BoardReplies.MessageList(messages));
        Assert.InRange(bytes.Length - 1, BoardFraming.MaxReplyBytes - 2, BoardFraming.MaxReplyBytes);

        var cuts = Enumerable.Range(1, (bytes.Length - 1) / (16 * 1024)).Select(i => i * 16 * 1024).ToArray();
        var outcome = Decoding.FeedPieces(Replies, bytes, cuts);

        Assert.Equal(bytes[..^1], Assert.Single(outcome.Frames));
        Assert.Empty(outcome.Pending);
    }

    [Fact]
    public void A_reply_one_byte_over_the_limit_is_too_long_without_waiting_for_its_percent()
    {
        var atLimit = Decoding.FeedPieces(Replies, Bytes("MSG", new string('x', BoardFraming.MaxReplyBytes - 3), "%"));
        var over = Decoding.FeedPieces(Replies, Bytes("MSG", new string('x', BoardFraming.MaxReplyBytes - 2)));

        Assert.Equal(BoardFraming.MaxReplyBytes, Assert.Single(atLimit.Frames).Length);
        Assert.Equal(FrameStatus.TooLong, over.Final);
    }

    [Fact]
    public void The_limit_counts_bytes_not_characters()
    {
        // A quarter of the limit in four-byte characters, and one more: too long in bytes.
        var emoji = string.Concat(Enumerable.Repeat("😀", (BoardFraming.MaxReplyBytes / 4) + 1));

        Assert.Equal(FrameStatus.TooLong, Decoding.FeedPieces(Replies, Bytes(emoji, "%")).Final);
    }

    [Fact]
    public void A_multibyte_character_split_across_reads_is_kept_whole()
    {
        var bytes = Bytes("MSG[(1, 'é 😀')]%");

        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var outcome = Decoding.FeedPieces(Replies, bytes, cut);
            Assert.Equal("MSG[(1, 'é 😀')]", Encoding.UTF8.GetString(Assert.Single(outcome.Frames)));
        }
    }
}
