using Microsoft.Extensions.DependencyInjection;
using SocketHub.Protocol.Chat;
using SocketHub.Server.Chat;
using SocketHub.Server.Ops;
using SocketHub.TestSupport;
using SocketHub.Server.Tests.SecureChat;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

/// <summary>
/// What the chat ports share and what tells them apart: every command of the table has its
/// handler, and what happens on a port is recorded under that port's name.
/// </summary>
public sealed class ChatDialectTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await TestServer.StartAsync(ChatTestSettings.With());

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void Every_command_of_the_table_has_a_handler()
    {
        var commands = _server.App.Services.GetRequiredService<ChatCommands>();

        Assert.All(ChatCommandTable.All, command => Assert.True(commands.Handles(command.Kind), command.Name));
        Assert.False(commands.Handles(ChatCommandKind.Invalid));
        Assert.False(commands.Handles(ChatCommandKind.Empty));
    }

    [Fact]
    public async Task A_wrong_password_is_recorded_under_the_port_it_was_tried_on()
    {
        await TextChatUser.RegisterAsync(_server, "ana");
        await TextChatUser.RegisterAsync(_server, "jo");
        await TextChatUser.RegisterAsync(_server, "sam");

        await using (var text = await TextChatUser.ConnectAsync(_server))
        {
            Assert.Equal("Username: ", await text.ReadUntilAsync(": "));
            await text.SendAsync("ana\nwrong\n");
            Assert.Equal("Password: Invalid Password. Please try again\nPassword: ", await text.ReadUntilAsync("again\nPassword: "));
        }

        await using (var client = await JsonChatUser.ConnectAsync(_server))
        {
            var json = new JsonChatUser(client, "jo");
            await json.SendAsync("login", "jo", "wrong");
            await json.ExpectAsync("""{"status": "unsuccessful", "data": {"message": "Invalid credentials"}}""");
        }

        await using (var secure = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(_server)))
        {
            Assert.Equal("FAILURE", await secure.TryLoginAsync("sam", "wrong"));
        }

        var wrong = _server.App.Services.GetRequiredService<ActivityFeed>().Recent()
            .Where(e => e.Text.EndsWith(": wrong password", StringComparison.Ordinal))
            .Select(e => (e.Dialect, e.Text));
        Assert.Equal([("chat", "ana: wrong password"), ("chat-json", "jo: wrong password"), ("secure-chat", "sam: wrong password")], wrong);
    }
}
