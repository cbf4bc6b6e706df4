using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using SocketHub.Protocol.Board;
using SocketHub.Protocol.Chat;
using SocketHub.Protocol.Framing;

namespace SocketHub.Benchmarks;

/// <summary>
/// Splitting a received buffer into frames: 1,000 board commands ending in <c>%</c>, and 1,000
/// chat lines ending in CRLF, plain and with telnet IAC negotiation in front of every line.
/// The buffer is cut into 4 KiB segments, as a socket read would hand them over.
/// </summary>
[MemoryDiagnoser]
public class FrameDecoderBenchmarks
{
    private const int Frames = 1000;

    private ReadOnlySequence<byte> _board;
    private ReadOnlySequence<byte> _chat;
    private ReadOnlySequence<byte> _chatTelnet;

    [GlobalSetup]
    public void Setup()
    {
        var board = new StringBuilder();
        var chat = new StringBuilder();
        var telnet = new List<byte>();
        for (var i = 0; i < Frames; i++)
        {
            board.Append(i % 10 == 0 ? "\nGET%" : $"POST message number {i}, with some ordinary text in it and a café%");
            var line = $"broadcast hello everyone, this is line {i} of the chat benchmark — ça va?\r\n";
            chat.Append(line);
            telnet.AddRange([255, 251, 1, 255, 253, 3]); // IAC WILL ECHO, IAC DO SUPPRESS-GO-AHEAD
            telnet.AddRange(Encoding.UTF8.GetBytes(line));
        }

        _board = Segments(Encoding.UTF8.GetBytes(board.ToString()));
        _chat = Segments(Encoding.UTF8.GetBytes(chat.ToString()));
        _chatTelnet = Segments([.. telnet]);
    }

    [Benchmark]
    public int BoardFrames() => Count(_board, BoardFraming.Requests);

    [Benchmark]
    public int ChatLines() => Count(_chat, ChatFraming.Requests);

    [Benchmark]
    public int ChatLinesWithTelnet() => Count(_chatTelnet, ChatFraming.Requests);

    private static int Count(ReadOnlySequence<byte> input, FrameOptions options)
    {
        var decoder = new FrameDecoder(options);
        var reader = new SequenceReader<byte>(input);
        var frames = 0;
        var bytes = 0;
        while (decoder.Decode(ref reader) == FrameStatus.Frame)
        {
            frames++;
            bytes += decoder.Frame.Length;
        }

        return frames == Frames ? bytes : throw new InvalidOperationException($"{frames} frames, expected {Frames}.");
    }

    private static ReadOnlySequence<byte> Segments(byte[] data)
    {
        const int size = 4096;
        Segment? first = null, last = null;
        for (var offset = 0; offset < data.Length; offset += size)
        {
            var memory = data.AsMemory(offset, Math.Min(size, data.Length - offset));
            last = last is null ? first = new Segment(memory, 0) : last.Append(memory);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
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
}
