using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Chat;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

/// <summary>
/// The statistics kept in memory and written behind in one statement: what /audit showed before a
/// stop is what the next start reads back, every counter, the login time to the tick and the address.
/// </summary>
public sealed class ChatStatisticsTests
{
    [Fact]
    public async Task Statistics_written_behind_read_back_the_same_after_a_restart()
    {
        using var data = new TempDirectory();
        var clock = new ManualTimeProvider();
        clock.Advance(TimeSpan.FromTicks(1_234_567)); // a login time with a fraction of a second
        ChatUserStatistics alice, bob;
        await using (var server = await StartAsync(data.Path, clock))
        {
            (alice, bob) = await ChatStatisticsScenario.RunAsync(server, "two", "three");
            Assert.Equal(new ChatUserStatistics("alice", 1, 1, 1, 2, 1, clock.GetUtcNow(), "127.0.0.1"), alice);
        }

        await using (var server = await StartAsync(data.Path, clock))
        {
            var audit = server.App.Services.GetRequiredService<ChatAudit>();
            Assert.Equal(alice, audit.User("alice"));
            Assert.Equal(bob with { Logoffs = 1 }, audit.User("bob"));
        }
    }

    private static Task<TestServer> StartAsync(string data, ManualTimeProvider clock) =>
        TestServer.StartAsync(data, services => services.AddSingleton<TimeProvider>(clock), ChatTestSettings.With());
}
