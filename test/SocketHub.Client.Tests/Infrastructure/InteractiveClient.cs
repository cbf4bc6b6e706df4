using SocketHub.Client;

namespace SocketHub.Client.Tests.Infrastructure;

/// <summary>A client running in this process with a standard input the test types into and an output it watches.</summary>
public sealed class InteractiveClient : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel = new();

    private InteractiveClient(string[] args)
    {
        Run = Task.Run(() => ClientApp.RunAsync(args, Input, Output, Error, _cancel.Token));
    }

    public FedReader Input { get; } = new();

    public WatchedWriter Output { get; } = new();

    public StringWriter Error { get; } = new();

    /// <summary>The run's exit code, once it ends.</summary>
    public Task<int> Run { get; }

    public static InteractiveClient Start(params string[] args) => new(args);

    public void Type(string line) => Input.Type(line);

    public async Task<int> ExitCodeAsync() => await Run.WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Ends input and cancels the run, as Ctrl+C does; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        Input.End();
        await _cancel.CancelAsync();
        return await ExitCodeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Run.IsCompleted && _cancel.IsCancellationRequested)
        {
            return;
        }

        Input.End();
        await _cancel.CancelAsync();
        try
        {
            await Run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // The test already failed; do not hide its message behind this one.
        }

    }
}
