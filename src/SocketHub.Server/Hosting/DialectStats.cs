namespace SocketHub.Server.Hosting;

/// <summary>
/// Live counters for one dialect. The audit endpoint and the metrics instruments both read these
/// fields, so there is one source of truth. Updated with Interlocked from many connections.
/// </summary>
public sealed class DialectStats(Dialect dialect)
{
    private long _open, _total, _rejected, _bytesIn, _bytesOut, _requests, _errors;

    public Dialect Dialect { get; } = dialect;

    /// <summary>The port actually bound (differs from the setting when that was 0).</summary>
    public int Port { get; set; }

    /// <summary>The TLS port actually bound; null when the dialect has no TLS listener.</summary>
    public int? TlsPort { get; set; }

    public long Open => Interlocked.Read(ref _open);
    public long Total => Interlocked.Read(ref _total);
    public long Rejected => Interlocked.Read(ref _rejected);
    public long BytesIn => Interlocked.Read(ref _bytesIn);
    public long BytesOut => Interlocked.Read(ref _bytesOut);
    public long Requests => Interlocked.Read(ref _requests);
    public long Errors => Interlocked.Read(ref _errors);

    public void ConnectionOpened()
    {
        Interlocked.Increment(ref _open);
        Interlocked.Increment(ref _total);
    }

    public void ConnectionClosed() => Interlocked.Decrement(ref _open);
    public void ConnectionRejected() => Interlocked.Increment(ref _rejected);
    public void AddBytesIn(long count) => Interlocked.Add(ref _bytesIn, count);
    public void AddBytesOut(long count) => Interlocked.Add(ref _bytesOut, count);
    public void RequestHandled() => Interlocked.Increment(ref _requests);

    /// <summary>A request answered with an error reply, or a connection that failed.</summary>
    public void ErrorReplied() => Interlocked.Increment(ref _errors);
}
