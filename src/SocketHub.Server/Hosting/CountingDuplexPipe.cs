using System.Buffers;
using System.IO.Pipelines;

namespace SocketHub.Server.Hosting;

/// <summary>
/// Wraps a connection's transport to count the bytes the handler consumes and writes, for the
/// per-dialect byte counters. Raw TCP listeners have no HTTP-style byte accounting of their own.
/// </summary>
internal sealed class CountingDuplexPipe(IDuplexPipe inner, DialectStats stats) : IDuplexPipe
{
    public PipeReader Input { get; } = new CountingReader(inner.Input, stats);

    public PipeWriter Output { get; } = new CountingWriter(inner.Output, stats);

    private sealed class CountingReader(PipeReader inner, DialectStats stats) : PipeReader
    {
        private ReadOnlySequence<byte> _last;

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            stats.AddBytesIn(_last.Slice(_last.Start, consumed).Length);
            _last = default;
            inner.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
            _last = result.Buffer;
            return result;
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result))
            {
                return false;
            }

            _last = result.Buffer;
            return true;
        }
    }

    private sealed class CountingWriter(PipeWriter inner, DialectStats stats) : PipeWriter
    {
        public override void Advance(int bytes)
        {
            stats.AddBytesOut(bytes);
            inner.Advance(bytes);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
            inner.FlushAsync(cancellationToken);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
    }
}
