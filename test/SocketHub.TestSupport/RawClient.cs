using System.Text;

namespace SocketHub.TestSupport;

/// <summary>How a connection ended, as the client saw it: what arrived before the close, and whether the close was a reset.</summary>
public sealed record Closed(byte[] Bytes, bool Reset)
{
    /// <summary>What arrived, as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Bytes);
}

/// <summary>
/// A raw client like a student's: send bytes, read what comes back. The reading is the same
/// whatever carries the bytes, a real socket (<see cref="TcpTestClient"/>) or pipes straight into
/// the server's connection pipeline (<see cref="InMemoryClient"/>). Every wait has a generous
/// deadline so a broken server fails the test instead of hanging it.
/// </summary>
public abstract class RawClient : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly List<byte> _received = [];

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public abstract Task SendAsync(byte[] bytes);

    /// <summary>Half-closes: the server sees end-of-stream, we can still read.</summary>
    public abstract void ShutdownSend();

    public abstract ValueTask DisposeAsync();

    /// <summary>Reads until <paramref name="count"/> replies ending in <paramref name="terminator"/> have arrived.</summary>
    public async Task<string> ReadRepliesAsync(int count, char terminator = '%')
    {
        while (Encoding.UTF8.GetString([.. _received]).Count(c => c == terminator) < count)
        {
            if (!await ReceiveSomeAsync())
            {
                throw new IOException($"Server closed after: {Encoding.UTF8.GetString([.. _received])}");
            }
        }

        return Encoding.UTF8.GetString(Take());
    }

    /// <summary>Reads up to and including the first <paramref name="end"/>; what follows stays for the next read.</summary>
    public async Task<string> ReadUntilAsync(string end)
    {
        while (true)
        {
            var text = Encoding.UTF8.GetString([.. _received]);
            var at = text.IndexOf(end, StringComparison.Ordinal);
            if (at >= 0)
            {
                var taken = text[..(at + end.Length)];
                _received.RemoveRange(0, Encoding.UTF8.GetByteCount(taken));
                return taken;
            }

            if (!await ReceiveSomeAsync())
            {
                throw new IOException($"Server closed before '{end}' after: {text}");
            }
        }
    }

    /// <summary>One line, without its <c>\n</c>; what follows stays for the next read.</summary>
    public async Task<string> ReadLineAsync() => (await ReadUntilAsync("\n"))[..^1];

    /// <summary>
    /// Exactly <paramref name="count"/> bytes; null when the server closed before sending any of
    /// them, an <see cref="IOException"/> when it closed part way.
    /// </summary>
    public async Task<byte[]?> ReadExactlyAsync(int count)
    {
        while (_received.Count < count)
        {
            if (!await ReceiveSomeAsync())
            {
                return _received.Count == 0 ? null : throw new IOException($"The server closed after {_received.Count} of {count} bytes.");
            }
        }

        var bytes = _received.GetRange(0, count).ToArray();
        _received.RemoveRange(0, count);
        return bytes;
    }

    /// <summary>Reads everything until the server closes the connection; a reset is an error.</summary>
    public async Task<string> ReadToEndAsync()
    {
        while (await ReceiveSomeAsync())
        {
        }

        return Encoding.UTF8.GetString(Take());
    }

    /// <summary>Reads until the server closes; what arrived (since the last read) and how it closed.</summary>
    public async Task<Closed> ReadUntilClosedAsync()
    {
        try
        {
            while (await ReceiveSomeAsync())
            {
            }

            return new Closed(Take(), Reset: false);
        }
        catch (Exception e) when (IsReset(e))
        {
            return new Closed(Take(), Reset: true);
        }
    }

    /// <summary>Receives into <paramref name="buffer"/>; 0 once the server has closed its side.</summary>
    /// <summary>Sends; false when the server has closed or reset the connection.</summary>
    public async Task<bool> TrySendAsync(byte[] bytes)
    {
        try
        {
            await SendAsync(bytes);
            return true;
        }
        catch (Exception e) when (IsSendFailure(e))
        {
            return false;
        }
    }

    /// <summary>
    /// Slowloris: sends <paramref name="bytes"/> one byte every <paramref name="pace"/>, then its
    /// last byte again and again (never a terminator, so never a complete frame; cycling could
    /// complete one, as in crypto's <c>#en#x#</c>) until the server closes the connection; returns
    /// what the server said. Fails after <see cref="RawClient.Deadline"/> if the server keeps it open.
    /// </summary>
    public async Task<Closed> DribbleUntilClosedAsync(byte[] bytes, TimeSpan pace)
    {
        var closed = ReadUntilClosedAsync();
        using var stop = new CancellationTokenSource();
        var dribble = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                if (!await TrySendAsync([bytes[Math.Min(i, bytes.Length - 1)]]))
                {
                    return;
                }

                // The pace is what a slowloris is made of, not a wait for something to happen.
                await Task.Delay(pace, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });

        try
        {
            return await closed.WaitAsync(Deadline);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The server kept a connection open for {Deadline} while it sent one byte every {pace.TotalSeconds} s and never a whole frame.");
        }
        finally
        {
            await stop.CancelAsync();
            await dribble;
        }
    }

    /// <summary>Whether a send failed because the connection is gone (not a bug in the test).</summary>
    protected abstract bool IsSendFailure(Exception e);

    protected abstract ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>True when <paramref name="e"/> says the connection was reset rather than closed.</summary>
    protected abstract bool IsReset(Exception e);

    private byte[] Take()
    {
        var bytes = _received.ToArray();
        _received.Clear();
        return bytes;
    }

    private async Task<bool> ReceiveSomeAsync()
    {
        var buffer = new byte[16384];
        using var timeout = new CancellationTokenSource(Deadline);
        var read = await ReceiveAsync(buffer, timeout.Token);
        _received.AddRange(buffer.AsSpan(0, read));
        return read > 0;
    }
}
