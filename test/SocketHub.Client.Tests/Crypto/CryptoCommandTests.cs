using Xunit;
using SocketHub.Client.Tests.Infrastructure;
using SocketHub.Protocol.Crypto;
using SocketHub.TestSupport;

namespace SocketHub.Client.Tests.Crypto;

public sealed class CryptoCommandTests
{
    [Fact]
    public async Task Encrypt_decrypt_and_key_agree()
    {
        await using var server = await TestServer.StartAsync();
        string[] at = ["--host", "127.0.0.1", "--port", server.PortOf("crypto").ToString()];

        var encrypted = await ClientRun.RunAsync(["crypto", "encrypt", "a # secret é", .. at]);
        Assert.Equal(0, encrypted.ExitCode);
        var token = Assert.Single(encrypted.Lines);

        var key = await ClientRun.RunAsync(["crypto", "key", .. at]);
        Assert.Equal(0, key.ExitCode);
        Assert.True(FernetKey.TryParse(Assert.Single(key.Lines), out var fernetKey));
        Assert.Equal(FernetError.None, Fernet.TryDecrypt([fernetKey], token, DateTimeOffset.UtcNow, null, out var plain));
        Assert.Equal("a # secret é", System.Text.Encoding.UTF8.GetString(plain));

        var decrypted = await ClientRun.RunWithInputAsync(token + "\n", ["crypto", "decrypt", "-", .. at]);
        Assert.Equal((0, "a # secret é\n", ""), (decrypted.ExitCode, decrypted.Out, decrypted.Error));
    }

    [Fact]
    public async Task A_bad_token_exits_4()
    {
        await using var server = await TestServer.StartAsync();

        var run = await ClientRun.RunAsync("crypto", "decrypt", "not-a-token", "--host", "127.0.0.1", "--port", server.PortOf("crypto").ToString());

        Assert.Equal((4, "", "sockethub: the crypto server refused: invalid token\n"), (run.ExitCode, run.Out, run.Error));
    }
}
