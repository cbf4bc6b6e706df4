using BenchmarkDotNet.Attributes;
using SocketHub.Protocol.Board;

namespace SocketHub.Benchmarks;

/// <summary>The board's GET reply body: Python's repr() of 100 (id, text) tuples.</summary>
[MemoryDiagnoser]
public class PythonReprBenchmarks
{
    private (long Id, string Text)[] _ascii = null!;
    private (long Id, string Text)[] _mixed = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ascii = [.. Enumerable.Range(1, 100).Select(i => ((long)i, $"Message number {i}: it's a plain ASCII line of text, \"quoted\" here."))];
        _mixed = [.. Enumerable.Range(1, 100).Select(i => ((long)i, i % 2 == 0
            ? $"Message {i}: café, naïve, 日本語, emoji 😀, tab\there"
            : $"Message {i}: zero-width\u200b space, NBSP\u00a0, newline\nand a bell\u0007"))];
    }

    [Benchmark]
    public string AsciiList() => PythonRepr.FormatMessageList(_ascii);

    [Benchmark]
    public string NonAsciiList() => PythonRepr.FormatMessageList(_mixed);
}
