using Microsoft.Extensions.DependencyInjection;
using SocketHub.Protocol.Crypto;
using SocketHub.Server.Crypto;
using SocketHub.Server.Hosting;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Crypto;

public sealed class CryptoKeysTests
{
    [Fact]
    public async Task The_key_and_its_tokens_survive_a_restart()
    {
        using var data = new TempDirectory();
        string key, token;
        await using (var server = await TestServer.StartInAsync(data.Path))
        {
            await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
            key = await client.KeyAsync();
            token = await client.EncryptAsync("kept across restarts");
        }

        await using (var server = await TestServer.StartInAsync(data.Path))
        {
            await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
            Assert.Equal(key, await client.KeyAsync());
            Assert.Equal("#de#kept across restarts#\n", await client.AskAsync($"#de#{token}#"));
        }
    }

    [Fact]
    public async Task The_key_file_is_readable_by_its_owner_only()
    {
        await using var server = await TestServer.StartAsync();
        var path = Path.Combine(server.DataDirectory, CryptoKeyRing.FileName);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
        Assert.Equal(await client.KeyAsync(), File.ReadAllText(path).Trim());
    }

    [Fact]
    public async Task With_configured_keys_the_first_encrypts_and_every_key_and_the_stored_one_decrypt()
    {
        using var data = new TempDirectory();
        string oldToken;
        await using (var server = await TestServer.StartInAsync(data.Path))
        {
            await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
            oldToken = await client.EncryptAsync("before rotation");
        }

        var first = FernetKey.Generate();
        var second = FernetKey.Generate();
        await using (var server = await TestServer.StartInAsync(
            data.Path, $"Crypto:Keys:0={first.Encode()}", $"Crypto:Keys:1={second.Encode()}"))
        {
            await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));

            Assert.Equal(first.Encode(), await client.KeyAsync());
            var token = await client.EncryptAsync("after rotation");
            Assert.Equal(FernetError.None, Fernet.TryDecrypt([first], token, DateTimeOffset.UtcNow, null, out _));
            Assert.Equal(FernetError.BadSignature, Fernet.TryDecrypt([second], token, DateTimeOffset.UtcNow, null, out _));

            var bySecond = Fernet.Encrypt(second, "made with key 1"u8, DateTimeOffset.UtcNow);
            Assert.Equal("#de#made with key 1#\n", await client.AskAsync($"#de#{bySecond}#"));
            Assert.Equal("#de#before rotation#\n", await client.AskAsync($"#de#{oldToken}#"));

            var stranger = Fernet.Encrypt(FernetKey.Generate(), "no"u8, DateTimeOffset.UtcNow);
            Assert.Equal("#er#invalid token#\n", await client.AskAsync($"#de#{stranger}#"));
        }
    }

    [Fact]
    public async Task An_invalid_configured_key_stops_the_start_naming_its_index_but_not_the_key()
    {
        var good = FernetKey.Generate().Encode();
        const string Bad = "c2VjcmV0LWJ1dC10b28tc2hvcnQ";

        var e = await Assert.ThrowsAsync<InvalidSettingsException>(
            () => TestServer.StartAsync($"Crypto:Keys:0={good}", $"Crypto:Keys:1={Bad}"));

        Assert.Contains("Crypto:Keys:1", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Crypto:Keys:0", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Bad, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(good, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Crypto:TtlSeconds=-1", "Crypto:TtlSeconds")]
    [InlineData("Crypto:IdleTimeoutSeconds=0", "Crypto:IdleTimeoutSeconds")]
    [InlineData("Crypto:Port=70000", "Crypto:Port")]
    public async Task Bad_crypto_settings_stop_the_start_naming_the_key(string setting, string key)
    {
        var e = await Assert.ThrowsAsync<InvalidSettingsException>(() => TestServer.StartAsync(setting));

        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_key_file_stops_the_start_naming_the_file()
    {
        using var data = new TempDirectory();
        var path = Path.Combine(data.Path, CryptoKeyRing.FileName);
        await File.WriteAllTextAsync(path, "half a key", TestContext.Current.CancellationToken);

        var e = await Assert.ThrowsAsync<InvalidSettingsException>(() => TestServer.StartInAsync(data.Path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("half a key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_older_than_the_ttl_are_refused()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(
            null, services => services.AddSingleton<TimeProvider>(clock), ["Crypto:TtlSeconds=60"]);
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
        var token = await client.EncryptAsync("short-lived");

        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal("#de#short-lived#\n", await client.AskAsync($"#de#{token}#"));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("#er#invalid token#\n", await client.AskAsync($"#de#{token}#"));
    }

    [Fact]
    public async Task Without_a_ttl_old_tokens_decrypt_but_tokens_from_the_future_do_not()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(null, services => services.AddSingleton<TimeProvider>(clock), []);
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
        Assert.True(FernetKey.TryParse(await client.KeyAsync(), out var key));
        var token = await client.EncryptAsync("old");

        clock.Advance(TimeSpan.FromDays(3650));
        Assert.Equal("#de#old#\n", await client.AskAsync($"#de#{token}#"));

        var soon = Fernet.Encrypt(key, "soon"u8, clock.GetUtcNow().AddSeconds(60));
        var later = Fernet.Encrypt(key, "later"u8, clock.GetUtcNow().AddSeconds(61));
        Assert.Equal("#de#soon#\n", await client.AskAsync($"#de#{soon}#"));
        Assert.Equal("#er#invalid token#\n", await client.AskAsync($"#de#{later}#"));
    }

    [Fact]
    public async Task Keys_texts_and_tokens_never_reach_the_log()
    {
        using var data = new TempDirectory();
        string key, token;
        const string Text = "a very secret text";
        await using (var server = await TestServer.StartInAsync(data.Path, "Serilog:MinimumLevel:Default=Debug"))
        {
            await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
            key = await client.KeyAsync();
            token = await client.EncryptAsync(Text);
            Assert.Equal($"#de#{Text}#\n", await client.AskAsync($"#de#{token}#"));
            Assert.Equal("#er#invalid token#\n", await client.AskAsync($"#de#{token[..30]}#"));
        }

        var log = string.Concat(Directory.GetFiles(Path.Combine(data.Path, "logs")).Select(File.ReadAllText));
        Assert.Contains("Crypto de from", log, StringComparison.Ordinal);
        Assert.DoesNotContain(key[..20], log, StringComparison.Ordinal);
        Assert.DoesNotContain(token[..30], log, StringComparison.Ordinal);
        Assert.DoesNotContain(Text, log, StringComparison.Ordinal);
    }
}
