using System.Buffers;
using BenchmarkDotNet.Attributes;
using SocketHub.Protocol.Chat;

namespace SocketHub.Benchmarks;

/// <summary>
/// One broadcast written out for 100 recipients, as the chat room's writer loops do: the same
/// <see cref="ChatEvent"/> formatted into each recipient's output buffer, per dialect.
/// </summary>
[MemoryDiagnoser]
public class ChatFanOutBenchmarks
{
    private const int Recipients = 100;

    private readonly ArrayBufferWriter<byte> _output = new(1 << 16);

    [Benchmark]
    public int JsonBroadcastTo100()
    {
        // A new event per operation, as each broadcast is.
        var message = ChatEvent.Broadcast("alice", "hello everyone, this is a broadcast of about sixty-four chars — ça va?");
        var written = 0;
        for (var i = 0; i < Recipients; i++)
        {
            _output.ResetWrittenCount();
            ChatJsonFormat.Write(message, _output);
            written += _output.WrittenCount;
        }

        return written;
    }

    [Benchmark]
    public int TextBroadcastTo100()
    {
        var message = ChatEvent.Broadcast("alice", "hello everyone, this is a broadcast of about sixty-four chars — ça va?");
        var written = 0;
        for (var i = 0; i < Recipients; i++)
        {
            _output.ResetWrittenCount();
            ChatTextFormat.Write(message, _output);
            written += _output.WrittenCount;
        }

        return written;
    }
}
