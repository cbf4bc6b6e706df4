using System.Text;
using SocketHub.Protocol.Crypto;
using SocketHub.Protocol.Framing;
using SocketHub.Protocol.Tests.Framing;
using Xunit;
using static SocketHub.Protocol.Tests.Framing.FrameBytes;

namespace SocketHub.Protocol.Tests.Crypto;

/// <summary>
/// What a client reads from the crypto port: replies that end with <c>\n</c> and only there, up
/// to <c>#en#</c> with the token of the largest text.
/// </summary>
public sealed class CryptoReplyFramingTests
{
    private static readonly FrameOptions Replies = CryptoFraming.Replies;

    [Fact]
    public void Replies_end_at_a_line_feed_one_frame_each()
    {
        var bytes = Bytes(CryptoReplies.Key("k"), CryptoReplies.Error(CryptoReplies.InvalidToken), CryptoReplies.Decrypted("a b"));

        var outcome = Decoding.FeedPieces(Replies, bytes);

        Assert.Equal(
            DecodeOutcome.Complete(Bytes("#gk#k#"), Bytes("#er#invalid token#"), Bytes("#de#a b#")).Describe(),
            outcome.Describe());
    }

    [Fact]
    public void A_decrypted_text_cut_by_the_network_after_a_hash_does_not_end_there()
    {
        // "#de#a#" is a whole request when a read ends there; as a reply it is only a beginning.
        var bytes = CryptoReplies.Decrypted("a#b");

        var reply = Decoding.FeedPieces(Replies, bytes, 6);
        var asRequest = Decoding.FeedPieces(CryptoFraming.Requests, bytes, 6);

        Assert.Equal(DecodeOutcome.Complete(Bytes("#de#a#b#")).Describe(), reply.Describe());
        Assert.Equal(DecodeOutcome.Complete(Bytes("#de#a#"), Bytes("b#")).Describe(), asRequest.Describe());
    }

    [Fact]
    public void A_carriage_return_in_a_decrypted_text_is_kept_and_only_a_line_feed_ends_a_frame()
    {
        var outcome = Decoding.FeedPieces(Replies, CryptoReplies.Decrypted("a\rb\r\nc"));

        Assert.Equal(DecodeOutcome.Complete(Bytes("#de#a\rb\r"), Bytes("c#")).Describe(), outcome.Describe());
    }

    [Fact]
    public void The_token_of_the_largest_text_fits_and_one_byte_more_is_too_long()
    {
        var token = Fernet.Encrypt(FernetKey.Generate(), new byte[CryptoFraming.MaxTextBytes], DateTimeOffset.UnixEpoch);
        Assert.Equal(CryptoFraming.MaxTokenChars, token.Length);
        var bytes = CryptoReplies.Encrypted(token);
        Assert.Equal(CryptoFraming.MaxReplyBytes, bytes.Length - 1);

        var fits = Decoding.FeedPieces(Replies, bytes, 16 * 1024, 32 * 1024, 48 * 1024, 64 * 1024, 80 * 1024);
        var over = Decoding.FeedPieces(Replies, CryptoReplies.Encrypted(token + "A"));

        Assert.Equal(bytes[..^1], Assert.Single(fits.Frames));
        Assert.Equal(FrameStatus.TooLong, over.Final);
    }

    [Fact]
    public void The_largest_text_decrypted_fits()
    {
        var text = new string('#', CryptoFraming.MaxTextBytes);

        var outcome = Decoding.FeedPieces(Replies, CryptoReplies.Decrypted(text), 16 * 1024);

        Assert.Equal("#de#" + text + "#", Encoding.UTF8.GetString(Assert.Single(outcome.Frames)));
    }
}
