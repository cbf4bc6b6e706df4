using System.Buffers;
using System.Text;
using SocketHub.Protocol.Board;
using SocketHub.Protocol.Framing;
using Xunit;
using static SocketHub.Protocol.Tests.Framing.FrameBytes;

namespace SocketHub.Protocol.Tests.Framing;

public sealed class FrameDecoderTests
{
    private static readonly FrameOptions Lines = new() { Terminator = FrameTerminator.LineEnd, MaxLength = 1024 };
    private static readonly FrameOptions ShortLines = new() { Terminator = FrameTerminator.LineEnd, MaxLength = 10 };
    private static readonly FrameOptions Board = BoardFraming.Requests;

    // ---- Line framing ---------------------------------------------------------------------

    [Fact]
    public void Crlf_ends_a_line() => AssertFrames(Lines, "hello\r\n", "hello");

    [Fact]
    public void Lf_ends_a_line() => AssertFrames(Lines, "hello\n", "hello");

    [Fact]
    public void Lone_cr_ends_a_line() => AssertFrames(Lines, "one\rtwo\r", "one", "two");

    [Fact]
    public void Cr_nul_ends_a_line_and_the_nul_is_dropped() => AssertFrames(Lines, "one\r\0two\r\0", "one", "two");

    [Fact]
    public void Mixed_line_ends_in_one_buffer() =>
        AssertFrames(Lines, "a\r\nb\nc\rd\r\0e\n\rf\n", "a", "b", "c", "d", "e", "", "f");

    [Fact]
    public void Empty_lines_are_empty_frames() => AssertFrames(Lines, "\n\r\n\r\r\0\r", "", "", "", "", "");

    [Fact]
    public void Only_one_lf_after_a_cr_is_skipped() => AssertFrames(Lines, "a\r\n\nb\n", "a", "", "b");

    [Fact]
    public void Nul_not_after_cr_is_data() => AssertFrames(Lines, "a\0b\n\0\n", "a\0b", "\0");

    [Theory]
    [InlineData("\n")]
    [InlineData("\0")]
    public void Cr_at_end_of_one_packet_and_lf_or_nul_at_start_of_next_gives_no_extra_frame(string next)
    {
        var decoder = new FrameDecoder(Lines);

        var first = DecodeAll(decoder, Bytes("abc\r"));
        var second = DecodeAll(decoder, Bytes(next + "def\n"));

        Assert.Equal(["abc"], first);
        Assert.Equal(["def"], second);
    }

    [Fact]
    public void Cr_at_end_of_one_packet_and_lf_alone_in_next_packet_gives_no_frame()
    {
        var decoder = new FrameDecoder(Lines);

        Assert.Equal(["abc"], DecodeAll(decoder, Bytes("abc\r")));
        Assert.Empty(DecodeAll(decoder, Bytes("\n")));
        Assert.False(decoder.HasPending);
        Assert.Equal(["x"], DecodeAll(decoder, Bytes("x\n")));
    }

    [Fact]
    public void Cr_at_end_of_one_packet_and_text_in_next_packet_starts_a_new_line()
    {
        var decoder = new FrameDecoder(Lines);

        Assert.Equal(["abc"], DecodeAll(decoder, Bytes("abc\r")));
        Assert.Equal(["def"], DecodeAll(decoder, Bytes("def\r")));
        Assert.Equal([""], DecodeAll(decoder, Bytes("\r")));
    }

    [Fact]
    public void Several_frames_in_one_buffer_come_one_per_call()
    {
        var decoder = new FrameDecoder(Lines);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Bytes("one\r\ntwo\nthree\rfour")));

        Assert.Equal(FrameStatus.Frame, decoder.Decode(ref reader));
        Assert.Equal("one", Text(decoder.Frame));
        Assert.Equal(4, reader.Consumed); // the LF after the CR is skipped by the next call

        Assert.Equal(FrameStatus.Frame, decoder.Decode(ref reader));
        Assert.Equal("two", Text(decoder.Frame));
        Assert.Equal(9, reader.Consumed);

        Assert.Equal(FrameStatus.Frame, decoder.Decode(ref reader));
        Assert.Equal("three", Text(decoder.Frame));
        Assert.Equal(15, reader.Consumed);

        Assert.Equal(FrameStatus.NeedMore, decoder.Decode(ref reader));
        Assert.True(reader.End);
        Assert.Equal("four", Text(decoder.Frame));
    }

    // "é" is C3 A9 and "¿" is C2 BF: bytes a wrongly built special-byte set once held instead of 0xFF.
    [Theory(Timeout = 10_000)]
    [InlineData("wörld é")]
    [InlineData("¿qué?")]
    [InlineData("ÿ")]
    public Task Line_with_non_ascii_text_is_a_frame_and_does_not_hang(string text) =>
        Task.Run(() => AssertFrames(Lines, text + "\r\n" + text + "\n", text, text), TestContext.Current.CancellationToken);

    [Fact]
    public void Board_commands_end_at_percent_and_whitespace_before_a_command_is_skipped() =>
        AssertFrames(Board, " \t\r\nGET%\n\nPOST a b %  %", "GET", "POST a b ", "");

    [Fact]
    public void Board_whitespace_inside_a_command_is_kept() => AssertFrames(Board, "POST \r\n\ttext\n%", "POST \r\n\ttext\n");

    [Fact]
    public void Board_multibyte_utf8_is_kept_whole() => AssertFrames(Board, "POST é 😀%", "POST é 😀");

    // ---- Telnet ----------------------------------------------------------------------------

    [Fact]
    public void Iac_iac_is_a_literal_ff_kept_as_data() =>
        AssertFrames(Lines, Bytes("a", Iac, Iac, "b\n"), Bytes("a", Iac, "b"));

    [Theory]
    [InlineData(Will)]
    [InlineData(Wont)]
    [InlineData(Do)]
    [InlineData(Dont)]
    public void Option_negotiation_is_removed(byte command) =>
        AssertFrames(Lines, Bytes("a", Iac, command, 1, "b\n"), Bytes("ab"));

    [Fact]
    public void Option_negotiation_whose_option_is_ff_is_removed() =>
        AssertFrames(Lines, Bytes("a", Iac, Will, Iac, "b\n"), Bytes("ab"));

    [Fact]
    public void Subnegotiation_is_removed() =>
        AssertFrames(Lines, Bytes("a", Iac, Sb, 24, 0, "xterm", Iac, Se, "b\n"), Bytes("ab"));

    [Fact]
    public void Subnegotiation_with_escaped_iac_inside_is_removed() =>
        AssertFrames(Lines, Bytes("a", Iac, Sb, 24, Iac, Iac, 1, Iac, Se, "b\n"), Bytes("ab"));

    [Fact]
    public void Subnegotiation_iac_followed_by_other_byte_does_not_end_it() =>
        AssertFrames(Lines, Bytes("a", Iac, Sb, 24, Iac, Nop, "zz", Iac, Se, "b\n"), Bytes("ab"));

    [Theory]
    [InlineData(240)]
    [InlineData(241)]
    [InlineData(242)]
    [InlineData(243)]
    [InlineData(244)]
    [InlineData(245)]
    [InlineData(246)]
    [InlineData(247)]
    [InlineData(248)]
    [InlineData(249)]
    public void Two_byte_commands_240_to_249_are_removed(byte command) =>
        AssertFrames(Lines, Bytes("a", Iac, command, "b\n"), Bytes("ab"));

    [Fact]
    public void Interrupt_process_is_removed_from_a_board_command() =>
        AssertFrames(Board, Bytes("GET", Iac, Ip, "%"), Bytes("GET"));

    [Fact]
    public void Iac_before_a_non_command_byte_keeps_ff_and_reads_the_byte_as_data() =>
        AssertFrames(Lines, Bytes("a", Iac, "b", Iac, 0x7F, Iac, 0xEF, "\n"), Bytes("a", Iac, "b", Iac, 0x7F, Iac, 0xEF));

    [Fact]
    public void Iac_before_iac_iac_keeps_two_ff() =>
        AssertFrames(Lines, Bytes("a", Iac, Iac, Iac, "\n"), Bytes("a", Iac, Iac));

    [Fact]
    public void Telnet_at_the_start_of_a_board_command_does_not_stop_whitespace_skipping() =>
        AssertFrames(Board, Bytes(Iac, Will, 1, " \r\n", Iac, Nop, "\tGET%"), Bytes("GET"));

    [Fact]
    public void Board_option_command_before_the_terminator_is_kept_not_swallowed() =>
        AssertFrames(Board, Bytes("POST", Iac, Dont, "%GET%"), Bytes("POST", Iac, Dont), Bytes("GET"));

    [Fact]
    public void Board_lone_iac_before_the_terminator_is_kept() =>
        AssertFrames(Board, Bytes("GET", Iac, "%"), Bytes("GET", Iac));

    [Theory]
    [InlineData("\n")]
    [InlineData("\r")]
    [InlineData("\r\n")]
    public void Line_end_after_iac_is_not_swallowed(string lineEnd) =>
        AssertFrames(Lines, Bytes("a", Iac, lineEnd, "b\n"), Bytes("a", Iac), Bytes("b"));

    [Theory]
    [InlineData("\n")]
    [InlineData("\r")]
    [InlineData("\r\n")]
    public void Line_end_after_option_command_is_not_swallowed(string lineEnd) =>
        AssertFrames(Lines, Bytes("a", Iac, Will, lineEnd, "b\n"), Bytes("a", Iac, Will), Bytes("b"));

    // An unfinished subnegotiation keeps only IAC SB as the (invalid UTF-8) trace of itself:
    // its content is never buffered, so it cannot grow the frame.
    [Fact]
    public void Line_end_inside_a_subnegotiation_ends_the_frame() =>
        AssertFrames(Lines, Bytes("a", Iac, Sb, 24, "\nb\n"), Bytes("a", Iac, Sb), Bytes("b"));

    [Fact]
    public void Line_end_after_iac_inside_a_subnegotiation_ends_the_frame() =>
        AssertFrames(Lines, Bytes("a", Iac, Sb, 24, Iac, "\nb\n"), Bytes("a", Iac, Sb), Bytes("b"));

    [Fact]
    public void Endless_subnegotiation_is_too_long_once_it_passes_the_byte_cap()
    {
        var decoder = new FrameDecoder(ShortLines);
        Assert.Equal(FrameStatus.NeedMore, DecodeOnce(decoder, Bytes("ab", Iac, Sb, 24, "xxxxxxx")));
        Assert.Equal(FrameStatus.TooLong, DecodeOnce(decoder, Bytes("x")));
    }

    [Fact]
    public void Flood_of_telnet_commands_is_too_long_once_it_passes_the_byte_cap()
    {
        var decoder = new FrameDecoder(ShortLines);
        Assert.Equal(FrameStatus.NeedMore, DecodeOnce(decoder, Bytes(Iac, 241, Iac, 241, Iac, 241, Iac, 241, Iac, 241)));
        Assert.Equal(FrameStatus.TooLong, DecodeOnce(decoder, Bytes(Iac)));
    }

    [Fact]
    public void Iac_split_from_its_command_across_packets_is_still_removed()
    {
        var decoder = new FrameDecoder(Lines);

        Assert.Empty(DecodeAll(decoder, Bytes("ab", Iac)));
        Assert.Empty(DecodeAll(decoder, Bytes(Will)));
        Assert.Empty(DecodeAll(decoder, Bytes(1, "cd", Iac, Sb, 24)));
        Assert.Empty(DecodeAll(decoder, Bytes("xterm", Iac)));
        Assert.Equal(["abcdef"], DecodeAll(decoder, Bytes(Se, "ef\n")));
    }

    // ---- Limits ----------------------------------------------------------------------------

    [Theory]
    [InlineData("", 4000)]
    [InlineData("LIST ", 4000)]
    [InlineData("POS", 4000)]
    [InlineData("GET", 4003)]
    [InlineData("POST", 4004)]
    public void Board_command_at_its_limit_needs_more_and_one_more_character_is_too_long(string keyword, int limit)
    {
        var decoder = new FrameDecoder(Board);
        var atLimit = keyword + new string('x', limit - keyword.Length);

        Assert.Equal(FrameStatus.NeedMore, DecodeOnce(decoder, Bytes(atLimit)));
        Assert.True(decoder.HasPending);
        Assert.Equal(FrameStatus.TooLong, DecodeOnce(decoder, Bytes("x")));
    }

    [Theory]
    [InlineData("", 4000)]
    [InlineData("GET", 4003)]
    [InlineData("POST", 4004)]
    public void Board_command_at_its_limit_with_terminator_is_a_frame(string keyword, int limit)
    {
        var command = keyword + new string('x', limit - keyword.Length);

        AssertFrames(Board, command + "%", command);
    }

    [Fact]
    public void Board_too_long_is_reported_at_the_4001st_character_without_waiting_for_the_terminator()
    {
        var decoder = new FrameDecoder(Board);
        for (var i = 0; i < 4000; i++)
        {
            Assert.Equal(FrameStatus.NeedMore, DecodeOnce(decoder, Bytes("x")));
        }

        Assert.Equal(FrameStatus.TooLong, DecodeOnce(decoder, Bytes("x")));
    }

    [Fact]
    public void Post_with_4001_characters_of_text_is_too_long() =>
        Assert.Equal(FrameStatus.TooLong, DecodeOnce(new FrameDecoder(Board), Bytes("POST" + new string('x', 4001))));

    [Fact]
    public void Post_with_4000_four_byte_characters_fits()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 4000));

        AssertFrames(Board, "POST" + text + "%", "POST" + text);
        Assert.Equal(FrameStatus.TooLong, DecodeOnce(new FrameDecoder(Board), Bytes("POST" + text + "😀")));
    }

    [Fact]
    public void Characters_are_counted_not_bytes()
    {
        var text = string.Concat(Enumerable.Repeat("é", 3999)) + "😀";

        AssertFrames(Board, text + "%", text);
        Assert.Equal(FrameStatus.TooLong, DecodeOnce(new FrameDecoder(Board), Bytes(text + "é")));
    }

    [Fact]
    public void Flood_of_continuation_bytes_is_stopped_by_the_byte_cap()
    {
        var decoder = new FrameDecoder(Board);
        var fed = 4;
        Assert.Equal(FrameStatus.NeedMore, DecodeOnce(decoder, Bytes("POST")));

        var status = FrameStatus.NeedMore;
        while (status == FrameStatus.NeedMore && fed < 10 * Board.MaxBytes)
        {
            status = DecodeOnce(decoder, [0x80]);
            fed++;
        }

        Assert.Equal(FrameStatus.TooLong, status);
        Assert.Equal(Board.MaxBytes + 1, fed);
        Assert.True(decoder.Frame.Length <= Board.MaxBytes);
    }

    [Fact]
    public void Flood_of_continuation_bytes_in_one_packet_is_too_long() =>
        Assert.Equal(FrameStatus.TooLong, DecodeOnce(new FrameDecoder(Board), Enumerable.Repeat((byte)0x80, 100_000).ToArray()));

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Line_of_exactly_max_bytes_is_a_frame(string lineEnd) =>
        AssertFrames(ShortLines, "0123456789" + lineEnd, "0123456789");

    [Fact]
    public void Line_one_byte_over_max_is_too_long_at_that_byte()
    {
        var decoder = new FrameDecoder(ShortLines);
        foreach (var b in Bytes("0123456789"))
        {
            Assert.Equal(FrameStatus.NeedMore, DecodeOnce(decoder, [b]));
        }

        Assert.Equal(FrameStatus.TooLong, DecodeOnce(decoder, Bytes("A")));
    }

    [Fact]
    public void Line_one_byte_over_max_in_one_packet_with_terminator_is_too_long() =>
        Assert.Equal(FrameStatus.TooLong, DecodeOnce(new FrameDecoder(ShortLines), Bytes("0123456789A\n")));

    [Fact]
    public void Line_limit_is_per_frame() =>
        AssertFrames(ShortLines, "0123456789\n0123456789\r\n0123456789\n", "0123456789", "0123456789", "0123456789");

    [Fact]
    public void Removed_telnet_bytes_do_not_count_towards_the_limit() =>
        AssertFrames(ShortLines, Bytes("01234", Iac, Will, 1, Iac, Nop, "56789\n"), Bytes("0123456789"));

    [Fact]
    public void Kept_iac_bytes_count_towards_the_limit() =>
        Assert.Equal(FrameStatus.TooLong, DecodeOnce(new FrameDecoder(ShortLines), Bytes("0123456789", Iac, Iac)));

    // ---- Frame and pending semantics -------------------------------------------------------

    [Fact]
    public void Partial_frame_is_pending_and_readable_after_need_more()
    {
        var decoder = new FrameDecoder(Board);

        Assert.Equal(FrameStatus.NeedMore, DecodeOnce(decoder, Bytes("  POST hé")));
        Assert.True(decoder.HasPending);
        Assert.Equal("POST hé", Text(decoder.Frame));

        Assert.Equal(FrameStatus.NeedMore, DecodeOnce(decoder, Bytes("llo")));
        Assert.Equal("POST héllo", Text(decoder.Frame));
    }

    [Fact]
    public void Partial_utf8_character_is_pending_as_raw_bytes()
    {
        var decoder = new FrameDecoder(Board);
        var emoji = Bytes("😀");

        Assert.Equal(FrameStatus.NeedMore, DecodeOnce(decoder, Bytes("POST ", emoji[0], emoji[1])));
        Assert.Equal(Bytes("POST ", emoji[0], emoji[1]), decoder.Frame.ToArray());
        Assert.Equal(FrameStatus.Frame, DecodeOnce(decoder, Bytes(emoji[2], emoji[3], "%")));
        Assert.Equal("POST 😀", Text(decoder.Frame));
    }

    [Fact]
    public void Skipped_whitespace_alone_is_not_pending()
    {
        var decoder = new FrameDecoder(Board);

        Assert.Equal(FrameStatus.NeedMore, DecodeOnce(decoder, Bytes(" \r\n\t ")));
        Assert.False(decoder.HasPending);
        Assert.Equal(0, decoder.Frame.Length);
    }

    [Fact]
    public void Removed_telnet_sequence_alone_is_not_pending()
    {
        var decoder = new FrameDecoder(Lines);

        Assert.Equal(FrameStatus.NeedMore, DecodeOnce(decoder, Bytes(Iac, Do, 3, Iac)));
        Assert.False(decoder.HasPending);
    }

    [Fact]
    public void Frame_is_not_pending_and_stays_readable_until_the_next_call()
    {
        var decoder = new FrameDecoder(Lines);

        Assert.Equal(FrameStatus.Frame, DecodeOnce(decoder, Bytes("abc\n")));
        Assert.False(decoder.HasPending);
        Assert.Equal("abc", Text(decoder.Frame));
    }

    [Fact]
    public void Call_after_a_frame_starts_a_fresh_frame()
    {
        var decoder = new FrameDecoder(Lines);

        Assert.Equal(FrameStatus.Frame, DecodeOnce(decoder, Bytes("abc\n")));
        Assert.Equal(FrameStatus.NeedMore, DecodeOnce(decoder, Bytes("de")));
        Assert.True(decoder.HasPending);
        Assert.Equal("de", Text(decoder.Frame));
        Assert.Equal(FrameStatus.Frame, DecodeOnce(decoder, Bytes("f\n")));
        Assert.Equal("def", Text(decoder.Frame));
    }

    [Fact]
    public void Call_with_no_input_after_a_frame_clears_it()
    {
        var decoder = new FrameDecoder(Lines);

        Assert.Equal(FrameStatus.Frame, DecodeOnce(decoder, Bytes("abc\n")));
        Assert.Equal(FrameStatus.NeedMore, DecodeOnce(decoder, []));
        Assert.False(decoder.HasPending);
        Assert.Equal(0, decoder.Frame.Length);
    }

    [Fact]
    public void Frame_does_not_depend_on_the_input_buffer_after_decoding()
    {
        var decoder = new FrameDecoder(Lines);
        var packet = Bytes("abc\nde");
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(packet));

        Assert.Equal(FrameStatus.Frame, decoder.Decode(ref reader));
        Array.Fill(packet, (byte)'#');
        Assert.Equal("abc", Text(decoder.Frame));

        packet = Bytes("abc\nde");
        reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(packet, 4, 2));
        Assert.Equal(FrameStatus.NeedMore, decoder.Decode(ref reader));
        Array.Fill(packet, (byte)'#');
        Assert.Equal("de", Text(decoder.Frame));
    }

    // ---- Helpers ---------------------------------------------------------------------------

    private static void AssertFrames(FrameOptions options, string input, params string[] expected) =>
        AssertFrames(options, Bytes(input), [.. expected.Select(e => Bytes(e))]);

    /// <summary>Feeds <paramref name="input"/> as one packet: it must give exactly these frames and leave nothing pending.</summary>
    private static void AssertFrames(FrameOptions options, byte[] input, params byte[][] expected)
    {
        var actual = Decoding.FeedPieces(options, input);

        Assert.Equal(DecodeOutcome.Complete(expected).Describe(), actual.Describe());
    }

    /// <summary>One call to <see cref="FrameDecoder.Decode"/> on a packet of its own.</summary>
    private static FrameStatus DecodeOnce(FrameDecoder decoder, byte[] packet)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(packet));
        return decoder.Decode(ref reader);
    }

    /// <summary>Decodes a packet to its end; returns the frames as text. It must not be too long.</summary>
    private static List<string> DecodeAll(FrameDecoder decoder, byte[] packet)
    {
        var frames = new List<byte[]>();
        Assert.Equal(FrameStatus.NeedMore, Decoding.FeedPacket(decoder, new ReadOnlySequence<byte>(packet), frames));
        return [.. frames.Select(f => Text(f))];
    }

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}

/// <summary>Telnet bytes and a readable way to build test input.</summary>
internal static class FrameBytes
{
    public const byte Se = 240, Nop = 241, Ip = 244, Sb = 250, Will = 251, Wont = 252, Do = 253, Dont = 254, Iac = 255;

    /// <summary>Concatenates parts: a string as UTF-8, a byte or int as that one byte, a byte[] as is.</summary>
    public static byte[] Bytes(params object[] parts)
    {
        var result = new List<byte>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case string text:
                    result.AddRange(Encoding.UTF8.GetBytes(text));
                    break;
                case byte b:
                    result.Add(b);
                    break;
                case int i:
                    result.Add(checked((byte)i));
                    break;
                case byte[] bytes:
                    result.AddRange(bytes);
                    break;
                default:
                    throw new ArgumentException($"Unsupported part {part}", nameof(parts));
            }
        }

        return [.. result];
    }

    /// <summary>Shows bytes as text: printable ASCII as is, anything else as \xNN.</summary>
    public static string Show(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder("\"");
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append($"\\x{b:X2}");
            }
        }

        return sb.Append('"').ToString();
    }
}

/// <summary>What feeding some input to a fresh decoder produced.</summary>
/// <param name="Frames">Every frame, in order.</param>
/// <param name="Final">NeedMore once all input is taken, or TooLong (which stops decoding).</param>
/// <param name="Pending">After NeedMore: the unfinished frame's bytes, if any.</param>
/// <param name="TooLongPacket">After TooLong: the input offsets of the packet that was being decoded.</param>
internal sealed record DecodeOutcome(List<byte[]> Frames, FrameStatus Final, byte[] Pending, (int Start, int End)? TooLongPacket = null)
{
    public static DecodeOutcome Complete(params byte[][] frames) => new([.. frames], FrameStatus.NeedMore, []);

    /// <summary>Frames, final status and pending bytes as one comparable, readable string.</summary>
    public string Describe()
    {
        var parts = Frames.Select(f => FrameBytes.Show(f)).ToList();
        parts.Add(Final == FrameStatus.NeedMore ? $"NeedMore pending {FrameBytes.Show(Pending)}" : Final.ToString());
        return string.Join(", ", parts);
    }
}

internal static class Decoding
{
    /// <summary>
    /// Feeds <paramref name="input"/> to a fresh decoder as packets cut at <paramref name="cuts"/>
    /// (ascending offsets). Each packet is a copy that is overwritten once decoded, as a transport
    /// reuses its buffers.
    /// </summary>
    public static DecodeOutcome FeedPieces(FrameOptions options, byte[] input, params int[] cuts)
    {
        var decoder = new FrameDecoder(options);
        var frames = new List<byte[]>();
        var start = 0;
        foreach (var end in cuts.Append(input.Length))
        {
            var packet = input[start..end];
            var status = FeedPacket(decoder, new ReadOnlySequence<byte>(packet), frames);
            Array.Fill(packet, (byte)0xEE);
            if (status == FrameStatus.TooLong)
            {
                return new DecodeOutcome(frames, status, [], (start, end));
            }

            start = end;
        }

        return Finish(decoder, frames);
    }

    /// <summary>Feeds one (possibly multi-segment) sequence to a fresh decoder.</summary>
    public static DecodeOutcome FeedSequence(FrameOptions options, ReadOnlySequence<byte> input)
    {
        var decoder = new FrameDecoder(options);
        var frames = new List<byte[]>();
        var status = FeedPacket(decoder, input, frames);
        return status == FrameStatus.TooLong
            ? new DecodeOutcome(frames, status, [], (0, (int)input.Length))
            : Finish(decoder, frames);
    }

    /// <summary>Calls Decode on one packet until it needs more or the frame is too long; collects the frames.</summary>
    public static FrameStatus FeedPacket(FrameDecoder decoder, ReadOnlySequence<byte> packet, List<byte[]> frames)
    {
        var reader = new SequenceReader<byte>(packet);
        while (true)
        {
            var status = decoder.Decode(ref reader);
            switch (status)
            {
                case FrameStatus.Frame:
                    Assert.False(decoder.HasPending);
                    frames.Add(decoder.Frame.ToArray());
                    break;
                case FrameStatus.NeedMore:
                    Assert.True(reader.End, "NeedMore must take all the input");
                    return status;
                default:
                    return status;
            }
        }
    }

    private static DecodeOutcome Finish(FrameDecoder decoder, List<byte[]> frames) =>
        new(frames, FrameStatus.NeedMore, decoder.HasPending ? decoder.Frame.ToArray() : []);
}
