using System.Buffers;
using System.Text;
using SocketHub.Protocol.Board;
using SocketHub.Protocol.Framing;
using Xunit;
using static SocketHub.Protocol.Tests.Framing.FrameBytes;

namespace SocketHub.Protocol.Tests.Framing;

/// <summary>
/// However the transport cuts the input into packets (or a packet into segments), the decoder
/// must produce the same frames, the same final status and the same pending bytes.
/// </summary>
public sealed class FrameDecoderSplitTests
{
    private const int TimeoutMs = 20_000;

    private static readonly FrameOptions Lines = new() { Terminator = FrameTerminator.LineEnd, MaxLength = 1024 };
    private static readonly FrameOptions ShortLines = new() { Terminator = FrameTerminator.LineEnd, MaxLength = 10 };

    private static readonly FrameOptions SixCharacters = new()
    {
        Terminator = FrameTerminator.Byte,
        TerminatorByte = (byte)'%',
        SkipLeadingWhitespace = true,
        LengthUnit = FrameLengthUnit.Characters,
        MaxLength = 6,
    };

    private static readonly Dictionary<string, SplitCase> Cases = new SplitCase[]
    {
        new(
            "board commands with whitespace and UTF-8",
            BoardFraming.Requests,
            Bytes(" \t\r\nGET%\n POST héllo 😀 wörld%  \tGET 1%\r\n%POST é😀"),
            Frames(["GET", "POST héllo 😀 wörld", "GET 1", ""], pending: "POST é😀")),
        new(
            "lines with CRLF, CR, LF and CR NUL",
            Lines,
            Bytes("one\r\ntwo\rthree\nfour\r\n\r\nfive\r\0six\r\n\r\rseven"),
            Frames(["one", "two", "three", "four", "", "five", "six", "", ""], pending: "seven")),
        new(
            "lines with telnet sequences",
            Lines,
            Bytes(
                Iac, Will, 1, "hello", Iac, Sb, 24, 0, "xterm", Iac, Se, " wörld\r\n",
                "A", Iac, Iac, "B", Iac, Nop, "C\n",
                Iac, Do, 3, "end", Iac, Ip, "\r\0",
                "x", Iac, "y", Iac, Will, "\n",
                "z", Iac),
            DecodeOutcome.Complete(Bytes("hello wörld"), Bytes("A", Iac, "BC"), Bytes("end"), Bytes("x", Iac, "y", Iac, Will))
                with { Pending = Bytes("z") }),
        new(
            "board commands with telnet sequences",
            BoardFraming.Requests,
            Bytes(
                Iac, Will, 1, " GET%",
                "POST", Iac, Dont, "%",
                " POST a", Iac, Sb, 24, 0, "xterm", Iac, Se, "b", Iac, Iac, "%",
                "GET", Iac, Ip, "%"),
            DecodeOutcome.Complete(Bytes("GET"), Bytes("POST", Iac, Dont), Bytes("POST ab", Iac), Bytes("GET"))),
        new(
            "over-long board command",
            BoardFraming.Requests,
            Bytes("GET%  POST", new string('x', 4001), "%GET%"),
            TooLong(["GET"]),
            OverflowAt: "GET%  POST".Length + 4000),
        new(
            "over-long frame counted in characters",
            SixCharacters,
            Bytes("ab% é😀cdef%", string.Concat(Enumerable.Repeat("😀", 7)), "%x%"),
            TooLong(["ab", "é😀cdef"]),
            OverflowAt: Encoding.UTF8.GetByteCount("ab% é😀cdef%") + (6 * 4)),
        new(
            "over-long line",
            ShortLines,
            Bytes("0123456789\n\r\n0123456789A\n"),
            TooLong(["0123456789", ""]),
            OverflowAt: "0123456789\n\r\n0123456789".Length),
    }.ToDictionary(c => c.Name);

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory(Timeout = TimeoutMs)]
    [MemberData(nameof(CaseNames))]
    public Task Whole_input_decodes_as_expected(string name) => Bounded(() =>
    {
        var c = Cases[name];

        var whole = Decoding.FeedPieces(c.Options, c.Input);

        Assert.Equal(c.Expected.Describe(), whole.Describe());
        AssertTooLongAtOverflow(c, whole, "whole input");
    });

    [Theory(Timeout = TimeoutMs)]
    [MemberData(nameof(CaseNames))]
    public Task Two_pieces_split_at_every_offset_decode_like_the_whole_input(string name) => Bounded(() =>
    {
        var c = Cases[name];

        for (var cut = 0; cut <= c.Input.Length; cut++)
        {
            AssertDecodesAsExpected(c, Decoding.FeedPieces(c.Options, c.Input, cut), $"cut at {cut}");
        }
    });

    [Theory(Timeout = TimeoutMs)]
    [MemberData(nameof(CaseNames))]
    public Task Three_pieces_split_at_every_pair_of_offsets_decode_like_the_whole_input(string name) => Bounded(() =>
    {
        var c = Cases[name];
        var offsets = c.ThreePieceOffsets();

        foreach (var first in offsets)
        {
            foreach (var second in offsets.Where(o => o >= first))
            {
                var outcome = Decoding.FeedPieces(c.Options, c.Input, first, second);
                AssertDecodesAsExpected(c, outcome, $"cuts at {first} and {second}");
            }
        }
    });

    [Theory(Timeout = TimeoutMs)]
    [MemberData(nameof(CaseNames))]
    public Task One_byte_per_packet_decodes_like_the_whole_input(string name) => Bounded(() =>
    {
        var c = Cases[name];
        var cuts = Enumerable.Range(1, Math.Max(0, c.Input.Length - 1)).ToArray();

        AssertDecodesAsExpected(c, Decoding.FeedPieces(c.Options, c.Input, cuts), "one byte per packet");
    });

    [Theory(Timeout = TimeoutMs)]
    [MemberData(nameof(CaseNames))]
    public Task Sequence_of_one_byte_segments_decodes_like_the_whole_input(string name) => Bounded(() =>
    {
        var c = Cases[name];
        var sequence = OneByteSegments(c.Input);
        Assert.False(sequence.IsSingleSegment);

        AssertDecodesAsExpected(c, Decoding.FeedSequence(c.Options, sequence), "one-byte segments");
    });

    [Fact]
    public void Frame_ending_inside_a_multi_segment_sequence_leaves_the_reader_after_the_terminator()
    {
        var decoder = new FrameDecoder(BoardFraming.Requests);
        var reader = new SequenceReader<byte>(OneByteSegments(Bytes(" POST é%GET")));

        Assert.Equal(FrameStatus.Frame, decoder.Decode(ref reader));
        Assert.Equal("POST é", Encoding.UTF8.GetString(decoder.Frame.Span));
        Assert.Equal(9, reader.Consumed);

        Assert.Equal(FrameStatus.NeedMore, decoder.Decode(ref reader));
        Assert.True(reader.End);
        Assert.Equal("GET", Encoding.UTF8.GetString(decoder.Frame.Span));
    }

    /// <summary>Runs a check so that a decoder stuck in an endless loop fails the test instead of hanging the run.</summary>
    private static Task Bounded(Action check) => Task.Run(check, TestContext.Current.CancellationToken);

    private static void AssertDecodesAsExpected(SplitCase c, DecodeOutcome outcome, string how)
    {
        // The description of how the input was cut is part of both strings, so a failure names it.
        Assert.Equal($"{how}: {c.Expected.Describe()}", $"{how}: {outcome.Describe()}");
        AssertTooLongAtOverflow(c, outcome, how);
    }

    /// <summary>TooLong must come with the packet holding the first byte over the limit, not later.</summary>
    private static void AssertTooLongAtOverflow(SplitCase c, DecodeOutcome outcome, string how)
    {
        if (c.OverflowAt is not { } overflow)
        {
            return;
        }

        var (start, end) = outcome.TooLongPacket ?? throw new InvalidOperationException($"{how}: no TooLong");
        Assert.True(
            start <= overflow && overflow < end,
            $"{how}: TooLong came with bytes {start}..{end}, but the limit is passed at byte {overflow}");
    }

    private static DecodeOutcome Frames(string[] frames, string pending) =>
        DecodeOutcome.Complete([.. frames.Select(f => Bytes(f))]) with { Pending = Bytes(pending) };

    private static DecodeOutcome TooLong(string[] framesBefore) =>
        new([.. framesBefore.Select(f => Bytes(f))], FrameStatus.TooLong, []);

    private static ReadOnlySequence<byte> OneByteSegments(byte[] input)
    {
        if (input.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(input.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < input.Length; i++)
        {
            last = last.Append(input.AsMemory(i, 1));
        }

        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
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

    /// <param name="OverflowAt">For an over-long input: the offset of the first byte past the limit.</param>
    private sealed record SplitCase(string Name, FrameOptions Options, byte[] Input, DecodeOutcome Expected, int? OverflowAt = null)
    {
        /// <summary>
        /// Offsets to cut at for three pieces: every one for short inputs; for long ones every
        /// 61st plus all those near the start, the end and the overflow (pairs are quadratic).
        /// </summary>
        public int[] ThreePieceOffsets()
        {
            var all = Enumerable.Range(0, Input.Length + 1);
            return Input.Length <= 256
                ? [.. all]
                : [.. all.Where(o => o % 61 == 0 || o < 16 || o > Input.Length - 16 || Math.Abs(o - (OverflowAt ?? -100)) <= 8)];
        }
    }
}
