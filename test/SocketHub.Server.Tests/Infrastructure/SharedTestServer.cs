using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Infrastructure;

/// <summary>
/// One server for all the tests of a class (an xunit class fixture), for tests that leave
/// nothing behind that another one could see.
/// </summary>
public sealed class SharedTestServer : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await TestServer.StartAsync();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
