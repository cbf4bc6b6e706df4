using System.Buffers;
using System.Text;
using SocketHub.Protocol.Crypto;
using SocketHub.Protocol.Framing;
using SocketHub.Protocol.Tests.Framing;
using Xunit;
using static SocketHub.Protocol.Tests.Framing.FrameBytes;

namespace SocketHub.Protocol.Tests.Crypto;

/// <summary>
/// Requests end with a line end, or without one when the bytes received so far form a whole
/// <c>#xx#...#</c>; the line end that may follow such a request is dropped.
/// </summary>
public sealed class CryptoFramingTests
{
    private static readonly FrameOptions Options = CryptoFraming.Requests;

    private static readonly byte[] Session = Bytes("#gk##\n#en#hello wörld 😀#\r\n#de#gAAAA==#\n#xx#y#\r#en##");

    private static readonly string[] SessionFrames = ["#gk##", "#en#hello wörld 😀#", "#de#gAAAA==#", "#xx#y#", "#en##"];

    [Fact]
    public void A_request_without_a_line_end_is_a_frame_at_the_end_of_the_read()
    {
        var decoder = new FrameDecoder(Options);

        Assert.Equal(["#en#hi#"], Feed(decoder, "#en#hi#"));
        Assert.False(decoder.HasPending);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void The_line_end_after_a_request_taken_without_it_is_dropped(string lineEnd)
    {
        var decoder = new FrameDecoder(Options);

        Assert.Equal(["#gk##"], Feed(decoder, "#gk##"));
        Assert.Empty(Feed(decoder, lineEnd));
        Assert.False(decoder.HasPending);
        Assert.Equal(["#en#x#"], Feed(decoder, "#en#x#\n"));
    }

    [Fact]
    public void A_cr_and_lf_in_separate_packets_after_such_a_request_are_both_dropped()
    {
        var decoder = new FrameDecoder(Options);

        Assert.Equal(["#gk##"], Feed(decoder, "#gk##"));
        Assert.Empty(Feed(decoder, "\r"));
        Assert.Empty(Feed(decoder, "\n"));
        Assert.Equal(["#gk##"], Feed(decoder, "#gk##\n"));
    }

    [Fact]
    public void Only_one_line_end_is_dropped_a_second_is_an_empty_frame()
    {
        var decoder = new FrameDecoder(Options);

        Assert.Equal(["#gk##"], Feed(decoder, "#gk##"));
        Assert.Equal([""], Feed(decoder, "\n\n"));
    }

    [Fact]
    public void A_request_that_follows_instead_of_a_line_end_is_framed_as_usual()
    {
        var decoder = new FrameDecoder(Options);

        Assert.Equal(["#en#one#"], Feed(decoder, "#en#one#"));
        Assert.Equal(["#en#two#"], Feed(decoder, "#en#two#"));
        Assert.Equal(["#en#three#", ""], Feed(decoder, "#en#three#\n\n"));
    }

    [Theory]
    [InlineData("#en#")]
    [InlineData("#en#abc")]
    [InlineData("#e")]
    [InlineData("hello#")]
    [InlineData("#enabc#")]
    public void An_unfinished_request_waits_for_more(string text)
    {
        var decoder = new FrameDecoder(Options);

        Assert.Empty(Feed(decoder, text));
        Assert.True(decoder.HasPending);
        Assert.Equal(text, Encoding.UTF8.GetString(decoder.Frame.Span));
    }

    [Fact]
    public void Hashes_inside_the_text_are_kept_when_the_request_arrives_whole()
    {
        Assert.Equal(["#en#a#b#c#"], Feed(new FrameDecoder(Options), "#en#a#b#c#\n"));
        Assert.Equal(["#en#a#b#c#"], Feed(new FrameDecoder(Options), "#en#a#b#c#"));
    }

    [Fact]
    public void A_text_with_a_hash_cut_right_after_that_hash_is_taken_as_two_requests()
    {
        // The documented ambiguity: "#en#a#" is a whole request by itself.
        var outcome = Decoding.FeedPieces(Options, Bytes("#en#a#b#\n"), "#en#a#".Length);

        Assert.Equal(DecodeOutcome.Complete(Bytes("#en#a#"), Bytes("b#")).Describe(), outcome.Describe());
    }

    [Fact]
    public void Other_framings_do_not_take_frames_without_their_terminator()
    {
        var lines = new FrameDecoder(new FrameOptions { Terminator = FrameTerminator.LineEnd, MaxLength = 1024 });

        Assert.Empty(Feed(lines, "#gk##"));
        Assert.True(lines.HasPending);
        Assert.Equal(["#gk##", ""], Feed(lines, "\n\n"));
    }

    [Fact]
    public void A_request_of_64_KiB_is_accepted_and_one_byte_more_is_too_long()
    {
        var fits = "#en#" + new string('x', CryptoFraming.MaxRequestBytes - 5) + "#";
        Assert.Equal([fits], Feed(new FrameDecoder(Options), fits + "\n"));
        Assert.Equal([fits], Feed(new FrameDecoder(Options), fits));

        var decoder = new FrameDecoder(Options);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Bytes("#en#x" + fits)));
        Assert.Equal(FrameStatus.TooLong, decoder.Decode(ref reader));
    }

    [Fact]
    public void Whole_session_decodes_to_its_requests()
    {
        Assert.Equal(Expected().Describe(), Decoding.FeedPieces(Options, Session).Describe());
    }

    [Fact]
    public void Session_split_in_two_at_every_offset_decodes_the_same()
    {
        for (var cut = 0; cut <= Session.Length; cut++)
        {
            Assert.Equal($"cut at {cut}: {Expected().Describe()}", $"cut at {cut}: {Decoding.FeedPieces(Options, Session, cut).Describe()}");
        }
    }

    [Fact]
    public void Session_split_in_three_at_every_pair_of_offsets_decodes_the_same()
    {
        for (var first = 0; first <= Session.Length; first++)
        {
            for (var second = first; second <= Session.Length; second++)
            {
                Assert.Equal(
                    $"cuts at {first}, {second}: {Expected().Describe()}",
                    $"cuts at {first}, {second}: {Decoding.FeedPieces(Options, Session, first, second).Describe()}");
            }
        }
    }

    [Fact]
    public void Session_one_byte_per_packet_decodes_the_same()
    {
        var cuts = Enumerable.Range(1, Session.Length - 1).ToArray();

        Assert.Equal(Expected().Describe(), Decoding.FeedPieces(Options, Session, cuts).Describe());
    }

    [Fact]
    public void Session_in_one_read_of_one_byte_segments_is_checked_at_the_end_of_the_read_not_of_each_segment()
    {
        // "#en#a#b#\n" in one read is one request, however the transport's buffer is segmented.
        var input = Bytes("#en#a#b#\n#gk##");
        var segments = new ReadOnlySequence<byte>(input);
        var first = new Segment(input.AsMemory(0, 1));
        var last = first;
        for (var i = 1; i < input.Length; i++)
        {
            last = last.Append(input.AsMemory(i, 1));
        }

        var outcome = Decoding.FeedSequence(Options, new ReadOnlySequence<byte>(first, 0, last, 1));

        Assert.Equal(DecodeOutcome.Complete(Bytes("#en#a#b#"), Bytes("#gk##")).Describe(), outcome.Describe());
        Assert.Equal(outcome.Describe(), Decoding.FeedSequence(Options, segments).Describe());
    }

    private static DecodeOutcome Expected() => DecodeOutcome.Complete([.. SessionFrames.Select(f => Bytes(f))]);

    private static List<string> Feed(FrameDecoder decoder, string packet)
    {
        var frames = new List<byte[]>();
        Decoding.FeedPacket(decoder, new ReadOnlySequence<byte>(Bytes(packet)), frames);
        return [.. frames.Select(f => Encoding.UTF8.GetString(f))];
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex = 0)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
