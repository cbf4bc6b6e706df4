using System.Threading.Channels;

namespace SocketHub.Client.Tests.Infrastructure;

/// <summary>Standard input that the test types into, line by line; reads wait until a line comes (or the end).</summary>
public sealed class FedReader : TextReader
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    public void Type(string line) => _lines.Writer.TryWrite(line);

    /// <summary>End of input, as when a piped script runs out.</summary>
    public void End() => _lines.Writer.TryComplete();

    public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _lines.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public override Task<string?> ReadLineAsync() => ReadLineAsync(CancellationToken.None).AsTask();

    public override string? ReadLine() => ReadLineAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override int Peek() => -1;

    public override int Read() => -1;
}
