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
    public async Task A_60_KiB_text_encrypted_and_decrypted_comes_back_exactly()
    {
        await using var server = await TestServer.StartAsync();
        string[] at = ["--host", "127.0.0.1", "--port", server.PortOf("crypto").ToString()];

        // 61,440 bytes, under the server's 64 KiB. The first half is '#': the client reads at most
        // 16 KiB at a time, so a read ends inside it, where a reply framing that took a '#' at the
        // end of a read for the end of the reply would cut the text short. Then '#' and multibyte
        // characters, 12 bytes a round.
        var text = new string('#', 30 * 1024) + string.Concat(Enumerable.Repeat("a # é 😀 ", 2560));
        Assert.Equal(60 * 1024, System.Text.Encoding.UTF8.GetByteCount(text));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(text) <= CryptoFraming.MaxTextBytes);

        var encrypted = await ClientRun.RunWithInputAsync(text + "\n", ["crypto", "encrypt", "-", .. at]);
        Assert.Equal((0, ""), (encrypted.ExitCode, encrypted.Error));
        var token = Assert.Single(encrypted.Lines);
        Assert.Equal(Fernet.TokenLength(60 * 1024), token.Length);

        var decrypted = await ClientRun.RunWithInputAsync(token + "\n", ["crypto", "decrypt", "-", .. at]);
        Assert.Equal((0, text + "\n", ""), (decrypted.ExitCode, decrypted.Out, decrypted.Error));
    }

    [Fact]
    public async Task A_bad_token_exits_4()
    {
        await using var server = await TestServer.StartAsync();

        var run = await ClientRun.RunAsync("crypto", "decrypt", "not-a-token", "--host", "127.0.0.1", "--port", server.PortOf("crypto").ToString());

        Assert.Equal((4, "", "sockethub: the crypto server refused: invalid token\n"), (run.ExitCode, run.Out, run.Error));
    }
}
