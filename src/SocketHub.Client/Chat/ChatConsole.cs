namespace SocketHub.Client.Chat;

/// <summary>
/// The chat session's terminal: typed lines in, whole lines out. Lines are printed whole and
/// flushed at once, whichever loop prints them (the server's reader, a peer's, the input's).
/// </summary>
public sealed class ChatConsole(ClientIo io)
{
    private readonly Lock _printLock = new();

    /// <summary>
    /// Waits for the next typed line, or for <paramref name="until"/> to end first (the server
    /// closed the connection: nothing typed can be sent any more). <c>Read</c> is false then;
    /// otherwise <c>Line</c> is the line, or null at the end of input.
    /// </summary>
    public async Task<(bool Read, string? Line)> ReadLineAsync(Task until, CancellationToken ct)
    {
        var readLine = Task.Run(() => io.In.ReadLineAsync(ct).AsTask(), ct);
        var first = await Task.WhenAny(readLine, until);
        return first == until ? (false, null) : (true, await readLine);
    }

    /// <summary>Prints <paramref name="message"/> on a line of its own; an empty message prints nothing.</summary>
    public void Print(string message)
    {
        if (message.Length == 0)
        {
            return;
        }

        lock (_printLock)
        {
            io.Out.WriteLine(message);
            io.Out.Flush();
        }
    }
}
