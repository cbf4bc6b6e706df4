using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Chat;
using SocketHub.TestSupport;

namespace SocketHub.Server.Tests.Chat;

/// <summary>
/// The session every storage provider's statistics are checked with: alice and bob log in, alice
/// sends bob one message and some broadcasts and logs out, then someone tries a wrong password
/// for alice. Returns what /audit then says of each.
/// </summary>
internal static class ChatStatisticsScenario
{
    public static async Task<(ChatUserStatistics Alice, ChatUserStatistics Bob)> RunAsync(TestServer server, params string[] broadcasts)
    {
        var first = await TextChatUser.LoginAsync(server, "alice");
        await using var second = await TextChatUser.LoginAsync(server, "bob");
        await first.ExpectAsync("bob logged in");
        await first.SendAsync("message bob one");
        foreach (var text in broadcasts)
        {
            await first.SendAsync("broadcast " + text);
        }

        await second.ExpectAsync(["alice: one", .. broadcasts.Select(text => "alice (broadcast): " + text)]);
        await first.LogoutAsync();
        await second.ExpectAsync("alice logged out");
        await first.DisposeAsync();

        await using var wrong = await TextChatUser.ConnectAsync(server);
        await wrong.SendAsync("alice\nwrong\n");
        await wrong.ReadUntilAsync("Invalid Password");

        var audit = server.App.Services.GetRequiredService<ChatAudit>();
        return (audit.User("alice")!, audit.User("bob")!);
    }
}
