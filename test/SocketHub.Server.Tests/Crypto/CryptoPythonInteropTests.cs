using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Crypto;

/// <summary>Tokens cross over with Python's cryptography.fernet, as the contract promises students.</summary>
public sealed class CryptoPythonInteropTests
{
    private const string Decrypt = """
        import sys
        from cryptography.fernet import Fernet
        sys.stdout.write(Fernet(sys.argv[1].encode()).decrypt(sys.argv[2].encode()).decode("utf-8"))
        """;

    private const string Encrypt = """
        import sys
        from cryptography.fernet import Fernet
        sys.stdout.write(Fernet(sys.argv[1].encode()).encrypt(sys.argv[2].encode("utf-8")).decode())
        """;

    [Theory]
    [InlineData("hello from SocketHub")]
    [InlineData("")]
    [InlineData("héllo # 日本語 😀")]
    public async Task A_server_token_decrypts_in_python_with_the_gk_key(string text)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
        var key = await client.KeyAsync();
        var token = await client.EncryptAsync(text);

        Assert.Equal(text, await Python.RunAsync(Decrypt, key, token));
    }

    [Theory]
    [InlineData("hello from Python")]
    [InlineData("ünïcödé # 😀")]
    public async Task A_python_token_decrypts_through_de(string text)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
        var key = await client.KeyAsync();
        var token = await Python.RunAsync(Encrypt, key, text);

        Assert.Equal($"#de#{text}#\n", await client.AskAsync($"#de#{token}#"));
        Assert.Equal($"#de#{text}#\n", await client.AskAsync($"#de#{token.TrimEnd('=')}#"));
    }

    [Fact]
    public async Task A_python_token_made_with_another_key_is_refused()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
        const string OtherKey = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
        var token = await Python.RunAsync(Encrypt, OtherKey, "not for you");

        Assert.Equal("#er#invalid token#\n", await client.AskAsync($"#de#{token}#"));
    }
}
