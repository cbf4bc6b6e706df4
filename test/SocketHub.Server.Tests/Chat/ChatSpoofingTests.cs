using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

/// <summary>
/// Nothing a user sends can pass for the server on a terminal, or drive it: control characters
/// reach text clients as visible escapes, while programs on the JSON port get the text as sent.
/// </summary>
public sealed class ChatSpoofingTests : IAsyncLifetime
{
    /// <summary>OSC 52: asks the terminal to put "hi" on the clipboard.</summary>
    private const string Osc52 = "\u001b]52;c;aGk=\u0007";

    private TestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await TestServer.StartAsync(ChatTestSettings.With());

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_line_break_or_escape_sequence_from_a_json_user_reaches_a_telnet_user_as_visible_text_on_one_line()
    {
        await using var bob = await TextChatUser.LoginAsync(_server, "bob");
        await using var mallory = await JsonChatUser.LoginAsync(_server, "mallory");
        await bob.ExpectAsync("mallory logged in");

        await mallory.SendAsync("message", "bob", "hi\nSERVER: [ ALERT ] Server shutting down...");
        Assert.Equal("Your message to bob has been sent.", (await mallory.ReadJsonAsync()).GetProperty("data").GetProperty("message").GetString());
        await bob.ExpectAsync(@"mallory: hi\nSERVER: [ ALERT ] Server shutting down...");

        await mallory.SendAsync("broadcast", Osc52 + "copied\r");
        await bob.ExpectAsync(@"mallory (broadcast): \x1b]52;c;aGk=\x07copied\r");
        await bob.ExpectNothingElseAsync();
    }

    [Fact]
    public async Task A_json_recipient_gets_the_text_exactly_as_sent()
    {
        await using var carol = await JsonChatUser.LoginAsync(_server, "carol");
        await using var mallory = await JsonChatUser.LoginAsync(_server, "mallory");
        Assert.Equal("login", (await carol.ReadJsonAsync()).GetProperty("data").GetProperty("presence").GetString());

        await mallory.SendAsync("message", "carol", Osc52 + "\nSERVER: hi");
        var message = await carol.ReadJsonAsync();
        Assert.Equal("message", message.GetProperty("status").GetString());
        Assert.Equal(Osc52 + "\nSERVER: hi", message.GetProperty("data").GetProperty("message").GetString());
    }
}
