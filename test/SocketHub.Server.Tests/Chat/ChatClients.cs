using System.Text.Json;
using SocketHub.Protocol.Chat;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

/// <summary>The settings every chat test starts with: a cheap password hash keeps them fast.</summary>
internal static class ChatTestSettings
{
    public const string FastHashing = "Chat:PasswordIterations=1000";

    public const string Welcome = "Welcome to the greatest messaging application ever!";

    public static string[] With(params string[] more) => [FastHashing, .. more];
}

/// <summary>A telnet-style user of the text dialect, over a real socket or in memory.</summary>
internal sealed class TextChatUser(RawClient client, string name) : IAsyncDisposable
{
    public RawClient Client { get; } = client;

    public string Name { get; } = name;

    public static async Task<TcpTestClient> ConnectAsync(TestServer server) => await TcpTestClient.ConnectAsync(server.PortOf("chat"));

    /// <summary>Connects, answers both prompts and expects the welcome line.</summary>
    public static async Task<TextChatUser> LoginAsync(TestServer server, string name, string password = "secret") =>
        await LoginAsync(await ConnectAsync(server), name, password);

    /// <summary>Answers both prompts on <paramref name="client"/>'s new connection and expects the welcome line.</summary>
    public static async Task<TextChatUser> LoginAsync(RawClient client, string name, string password = "secret")
    {
        Assert.Equal("Username: ", await client.ReadUntilAsync(": "));
        await client.SendAsync(name + "\n");
        Assert.Equal("Password: ", await client.ReadUntilAsync(": "));
        await client.SendAsync(password + "\n");
        Assert.Equal(ChatTestSettings.Welcome, await client.ReadLineAsync());
        return new TextChatUser(client, name);
    }

    /// <summary>Creates the account (or logs in) and logs out again, fully, before returning.</summary>
    public static async Task RegisterAsync(TestServer server, string name, string password = "secret")
    {
        await using var user = await LoginAsync(server, name, password);
        await user.LogoutAsync();
    }

    public Task SendAsync(string line) => Client.SendAsync(line + "\n");

    public Task<string> ReadLineAsync() => Client.ReadLineAsync();

    public async Task ExpectAsync(params string[] lines)
    {
        foreach (var line in lines)
        {
            Assert.Equal(line, await Client.ReadLineAsync());
        }
    }

    /// <summary>Sends a command and expects exactly these lines back.</summary>
    public async Task RoundTripAsync(string command, params string[] lines)
    {
        await SendAsync(command);
        await ExpectAsync(lines);
    }

    /// <summary>
    /// Proves nothing else was queued for this user: a <c>help</c> round trip must
    /// come back first (replies and events share one ordered queue).
    /// </summary>
    public async Task ExpectNothingElseAsync()
    {
        await SendAsync("help");
        Assert.Equal("Commands:", await ReadLineAsync());
        await Client.ReadUntilAsync("logout                   leave (also: disconnect)\n");
    }

    public async Task LogoutAsync()
    {
        await RoundTripAsync("logout", "Goodbye.");
        Assert.Equal(string.Empty, await Client.ReadToEndAsync());
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}

/// <summary>
/// A program on the JSON port, sending requests exactly as the COMP3331 messenger's client does
/// (<c>json.dumps</c>, no line end) and reading one object per line (SocketHub ends each with <c>\n</c>).
/// </summary>
internal sealed class JsonChatUser(TcpTestClient client, string name) : IAsyncDisposable
{
    public TcpTestClient Client { get; } = client;

    public string Name { get; } = name;

    public static async Task<TcpTestClient> ConnectAsync(TestServer server) => await TcpTestClient.ConnectAsync(server.PortOf("chat-json"));

    public static string Welcome(string name, params string[] unread) =>
        new PythonJson().StartObject().Member("status", "success").Name("data").StartObject()
            .Member("command", "login").Member("message", $"Logged in as {name}").Member("unreadMessages", unread)
            .EndObject().EndObject().ToString();

    public static async Task<JsonChatUser> LoginAsync(TestServer server, string name, string password = "secret")
    {
        var client = await ConnectAsync(server);
        var user = new JsonChatUser(client, name);
        await user.SendAsync("login", name, password);
        Assert.Equal(Welcome(name), await client.ReadLineAsync());
        return user;
    }

    /// <summary>Creates the account (or logs in) and logs out again, fully, before returning.</summary>
    public static async Task RegisterAsync(TestServer server, string name, string password = "secret")
    {
        await using var user = await LoginAsync(server, name, password);
        await user.LogoutAsync();
    }

    /// <summary>The request as the original client builds it: <c>{"command": ..., "data": [...]}</c>.</summary>
    public static string Request(string command, params string[] data) =>
        new PythonJson().StartObject().Member("command", command).Member("data", data).EndObject().ToString();

    public Task SendAsync(string command, params string[] data) => Client.SendAsync(Request(command, data));

    public Task SendRawAsync(string text) => Client.SendAsync(text);

    public Task<string> ReadLineAsync() => Client.ReadLineAsync();

    public async Task ExpectAsync(params string[] lines)
    {
        foreach (var line in lines)
        {
            Assert.Equal(line, await Client.ReadLineAsync());
        }
    }

    /// <summary>Sends a command as the original client types it (split at spaces) and expects exactly these objects back.</summary>
    public async Task RoundTripAsync(string typed, params string[] lines)
    {
        var words = typed.Split(' ');
        await SendAsync(words[0], words[1..]);
        await ExpectAsync(lines);
    }

    public async Task<JsonElement> ReadJsonAsync()
    {
        using var document = JsonDocument.Parse(await Client.ReadLineAsync());
        return document.RootElement.Clone();
    }

    public async Task LogoutAsync()
    {
        await SendAsync("logout");
        Assert.Equal("{\"status\": \"logout\", \"data\": []}\n", await Client.ReadToEndAsync());
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
