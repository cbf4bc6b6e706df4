using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.SecureChat;

/// <summary>A logged-in user of the secure chat, over a real socket, with its keys exchanged.</summary>
internal static class SecureChatUsers
{
    /// <summary>The original's greeting, and SocketHub's one line about the commands.</summary>
    public const string Greeting =
        "\t\t\t\tWelcome to the Chat Room!\n\n\t\t\t\tBe respectful and be sure to type\n\t\t\t\tdisconnect to exit the chat.\n\t\t\t\tType /help for the other commands.";

    public static int Port(TestServer server) => server.PortOf("secure-chat");

    /// <summary>Connects, logs in, exchanges keys and reads its own <c>[ CONNECTED ]</c>.</summary>
    public static async Task<SecureChatTestClient> LoginAsync(TestServer server, string name, string password = "secret")
    {
        var client = await SecureChatTestClient.ConnectAsync(Port(server));
        Assert.Equal($"Welcome {name}\n{Greeting}", await client.LoginAsync(name, password));
        Assert.Equal($"{name}: [ CONNECTED ]", await client.ReceiveAsync());
        return client;
    }

    /// <summary>Proves nothing else was queued for this user: a <c>/whoelse</c> answer must come back first.</summary>
    public static async Task ExpectNothingElseAsync(this SecureChatTestClient client)
    {
        await client.SayAsync("/whoelse");
        var answer = await client.ReceiveAsync();
        Assert.StartsWith("SERVER: ", answer, StringComparison.Ordinal);
        Assert.EndsWith("End of list.\n", answer, StringComparison.Ordinal);
    }

    /// <summary>Sends <c>disconnect</c> as the original client does and waits for the server to close.</summary>
    public static async Task DisconnectAsync(this SecureChatTestClient client)
    {
        await client.SayAsync("disconnect");
        Assert.Empty(await client.ReadToEndAsync());
    }
}
