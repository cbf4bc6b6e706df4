using System.Text;

namespace SocketHub.Client.Tests.Infrastructure;

/// <summary>Standard output that a test can wait on: "until a line like this has been written".</summary>
public sealed class WatchedWriter : TextWriter
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly StringBuilder _partial = new();
    private readonly List<string> _lines = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public override void Write(char value)
    {
        TaskCompletionSource? changed = null;
        lock (_lock)
        {
            if (value == '\n')
            {
                _lines.Add(_partial.ToString().TrimEnd('\r'));
                _partial.Clear();
                changed = _changed;
                _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            else
            {
                _partial.Append(value);
            }
        }

        changed?.TrySetResult();
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    /// <summary>Waits until some line written so far equals <paramref name="line"/>.</summary>
    public Task<string> WaitForLineAsync(string line) => WaitForAsync(l => l == line, $"the line '{line}'");

    /// <summary>Waits until some line written so far matches; fails with the output so far after a generous deadline.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, string what)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_lines.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"Waited in vain for {what}. Output so far:\n{string.Join('\n', Lines)}");
            }
        }
    }
}
