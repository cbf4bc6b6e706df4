namespace SocketHub.TestSupport;

/// <summary>A fresh data folder for one test, removed when the test is done.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = TestServer.NewDataDirectory();

    public void Dispose() => TestServer.TryDelete(Path);
}
