using System.Buffers;
using System.Text;
using SocketHub.Protocol.Framing;
using SocketHub.Protocol.SecureChat;
using Xunit;

namespace SocketHub.Protocol.Tests.SecureChat;

public sealed class SecureChatFrameDecoderTests
{
    /// <summary>What the original client sends to log in as alice with pw1 (captured).</summary>
    private static readonly byte[] Login = Encoding.ASCII.GetBytes("5".PadRight(64) + "alice" + "3".PadRight(64) + "pw1");

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    /// <summary>Feeds <paramref name="input"/> in one read; returns the statuses and the frames found.</summary>
    private static (List<FrameStatus> Statuses, List<string> Frames) Feed(SecureChatFrameDecoder decoder, byte[] input)
    {
        var statuses = new List<FrameStatus>();
        var frames = new List<string>();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));
        while (true)
        {
            var status = decoder.Decode(ref reader);
            statuses.Add(status);
            if (status == FrameStatus.Frame)
            {
                frames.Add(Encoding.UTF8.GetString(decoder.Frame.Span));
                continue;
            }

            return (statuses, frames);
        }
    }

    [Fact]
    public void The_original_clients_login_is_two_frames()
    {
        var decoder = new SecureChatFrameDecoder();

        var (statuses, frames) = Feed(decoder, Login);

        Assert.Equal(["alice", "pw1"], frames);
        Assert.Equal(FrameStatus.NeedMore, statuses[^1]);
        Assert.False(decoder.HasPending);
    }

    [Fact]
    public void Every_split_of_the_login_gives_the_same_frames()
    {
        for (var cut = 0; cut <= Login.Length; cut++)
        {
            var decoder = new SecureChatFrameDecoder();
            var first = Feed(decoder, Login[..cut]).Frames;
            Assert.Equal(cut is not (0 or 69 or 136), decoder.HasPending);
            var second = Feed(decoder, Login[cut..]).Frames;

            Assert.Equal(["alice", "pw1"], [.. first, .. second]);
        }
    }

    [Fact]
    public void One_byte_at_a_time_gives_the_same_frames()
    {
        var decoder = new SecureChatFrameDecoder();
        var frames = new List<string>();
        foreach (var b in Login)
        {
            frames.AddRange(Feed(decoder, [b]).Frames);
        }

        Assert.Equal(["alice", "pw1"], frames);
    }

    [Fact]
    public void A_frame_in_a_multi_segment_sequence_is_whole()
    {
        var first = new Segment(Login.AsMemory(0, 30));
        var last = first.Append(Login.AsMemory(30, 40)).Append(Login.AsMemory(70));
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));
        var decoder = new SecureChatFrameDecoder();

        Assert.Equal(FrameStatus.Frame, decoder.Decode(ref reader));
        Assert.Equal("alice", Encoding.ASCII.GetString(decoder.Frame.Span));
        Assert.Equal(FrameStatus.Frame, decoder.Decode(ref reader));
        Assert.Equal("pw1", Encoding.ASCII.GetString(decoder.Frame.Span));
    }

    [Fact]
    public void Encrypted_frames_have_base64_headers()
    {
        var payload = new string('A', 340) + "AA==";
        var decoder = new SecureChatFrameDecoder { Header = SecureChatHeader.Base64 };

        var (_, frames) = Feed(decoder, Ascii("MzQ0".PadRight(64) + payload));

        Assert.Equal([payload], frames);
    }

    [Fact]
    public void The_header_style_applies_from_the_next_frame()
    {
        var decoder = new SecureChatFrameDecoder();
        var input = Ascii("3".PadRight(64) + "key" + "Mg==".PadRight(64) + "ok");
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));

        Assert.Equal(FrameStatus.Frame, decoder.Decode(ref reader));
        decoder.Header = SecureChatHeader.Base64;
        Assert.Equal(FrameStatus.Frame, decoder.Decode(ref reader));
        Assert.Equal("ok", Encoding.ASCII.GetString(decoder.Frame.Span));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("   0")]
    [InlineData("\t0\r\n")]
    public void A_zero_length_frame_is_empty(string header)
    {
        var (_, frames) = Feed(new SecureChatFrameDecoder(), Ascii(header.PadRight(64)));

        Assert.Equal([""], frames);
    }

    [Theory]
    [InlineData("  12")]
    [InlineData("12")]
    [InlineData("000000000000000000000000000000000000000000000000000000000000012")]
    public void Whitespace_around_the_digits_and_leading_zeros_are_accepted_as_python_int_does(string header)
    {
        var (_, frames) = Feed(new SecureChatFrameDecoder(), Ascii(header.PadRight(64) + "hello world!"));

        Assert.Equal(["hello world!"], frames);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n", 0)]
    [InlineData("hello\n", 0)]
    [InlineData("12x", 2)]
    [InlineData("-5", 0)]
    [InlineData("+5", 0)]
    [InlineData("1 2", 2)]
    [InlineData("1_000", 1)]
    public void A_clear_header_that_is_not_a_length_is_refused_at_its_first_stray_byte(string start, int offset)
    {
        var decoder = new SecureChatFrameDecoder();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Ascii(start)));

        Assert.Equal(FrameStatus.Invalid, decoder.Decode(ref reader));
        Assert.Equal(offset + 1, reader.Consumed);
        Assert.Contains($"header byte {offset} ", decoder.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stray_byte_is_found_across_reads()
    {
        var decoder = new SecureChatFrameDecoder();

        Assert.Equal(FrameStatus.NeedMore, Feed(decoder, Ascii("12 ")).Statuses[^1]);
        Assert.Equal(FrameStatus.Invalid, Feed(decoder, Ascii("3")).Statuses[^1]);
        Assert.StartsWith("header byte 3 ", decoder.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_of_spaces_only_is_refused()
    {
        var decoder = new SecureChatFrameDecoder();

        Assert.Equal(FrameStatus.Invalid, Feed(decoder, Ascii(new string(' ', 64))).Statuses[^1]);
        Assert.Equal("the header holds no decimal length", decoder.Problem);
    }

    [Fact]
    public void A_nul_byte_in_a_header_is_refused() =>
        Assert.Equal(FrameStatus.Invalid, Feed(new SecureChatFrameDecoder(), [(byte)'5', 0]).Statuses[^1]);

    [Theory]
    [InlineData("1025", 1025)]
    [InlineData("99999999999999999999", 2147483648)]
    [InlineData("000000000000000000000000000000000000000000000000000000000001025", 1025)]
    public void A_length_over_the_maximum_is_too_long_before_any_payload_is_read(string header, long announced)
    {
        var decoder = new SecureChatFrameDecoder();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Ascii(header.PadRight(64) + "payload")));

        Assert.Equal(FrameStatus.TooLong, decoder.Decode(ref reader));
        Assert.Equal(64, reader.Consumed);
        Assert.Equal(announced, decoder.AnnouncedLength);
    }

    [Fact]
    public void The_maximum_itself_is_accepted()
    {
        var decoder = new SecureChatFrameDecoder(maxPayload: 10);

        Assert.Equal(["0123456789"], Feed(decoder, Ascii("10".PadRight(64) + "0123456789")).Frames);
        Assert.Equal(FrameStatus.TooLong, Feed(decoder, Ascii("11".PadRight(64))).Statuses[^1]);
    }

    [Theory]
    [InlineData("MzQ0!")]
    [InlineData("{\"a\":1}")]
    public void A_base64_header_with_a_byte_outside_base64_is_refused_at_once(string start)
    {
        var decoder = new SecureChatFrameDecoder { Header = SecureChatHeader.Base64 };

        Assert.Equal(FrameStatus.Invalid, Feed(decoder, Ascii(start)).Statuses[^1]);
    }

    [Theory]
    [InlineData("MzQ", "the header is not base64")]
    [InlineData("YWJj", "the header holds no base64 length")] // "abc"
    [InlineData("344", "the header is not base64")] // a clear header where a base64 one belongs
    public void A_base64_header_that_does_not_decode_to_a_length_is_refused(string header, string problem)
    {
        var decoder = new SecureChatFrameDecoder { Header = SecureChatHeader.Base64 };

        Assert.Equal(FrameStatus.Invalid, Feed(decoder, Ascii(header.PadRight(64))).Statuses[^1]);
        Assert.Equal(problem, decoder.Problem);
    }

    [Fact]
    public void A_base64_length_over_the_maximum_is_too_long()
    {
        var decoder = new SecureChatFrameDecoder { Header = SecureChatHeader.Base64 };

        Assert.Equal(FrameStatus.TooLong, Feed(decoder, SecureChatFraming.Header(100_000, SecureChatHeader.Base64)).Statuses[^1]);
        Assert.Equal(100_000, decoder.AnnouncedLength);
    }

    [Fact]
    public void The_payload_buffer_grows_to_the_largest_frame_and_no_further()
    {
        var decoder = new SecureChatFrameDecoder(maxPayload: 1024);
        var big = new string('x', 1024);

        Assert.Equal([big, "y"], Feed(decoder, Ascii("1024".PadRight(64) + big + "1".PadRight(64) + "y")).Frames);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
