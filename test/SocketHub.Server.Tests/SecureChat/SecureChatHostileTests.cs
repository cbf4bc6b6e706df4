using System.Security.Cryptography;
using System.Text;
using SocketHub.Server.Tests.Chat;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.SecureChat;

/// <summary>
/// Frames that are no frames, keys that are no keys and messages that do not decrypt: each is
/// answered in the dialect's form where the client can read one (a clear frame before the key
/// exchange, an encrypted SERVER message after), the connection closes with a log line, and the
/// server goes on serving.
/// </summary>
public sealed class SecureChatHostileTests
{
    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static string Clear(string text) => Encoding.UTF8.GetByteCount(text).ToString(System.Globalization.CultureInfo.InvariantCulture).PadRight(64) + text;

    public static TheoryData<string, byte[], string> BeforeLogin => new()
    {
        { "an HTTP request", Ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), "Error. Header byte 0 is 0x47, not part of a decimal length; closing" },
        { "a telnet user typing", Ascii("alice\r\n"), "Error. Header byte 0 is 0x61, not part of a decimal length; closing" },
        { "a length over the limit", Ascii("1000000".PadRight(64)), "Error. A header announced 1000000 bytes; at most 1024 are read; closing" },
        { "a length of 20 digits", Ascii("99999999999999999999".PadRight(64)), "Error. A header announced 2147483648 bytes; at most 1024 are read; closing" },
        { "a header of spaces", Ascii(new string(' ', 64)), "Error. The header holds no decimal length; closing" },
        { "a NUL in the header", [(byte)'5', 0], "Error. Header byte 1 is 0x00, not part of a decimal length; closing" },
        { "a base64 header before the key exchange", Ascii("NQ==".PadRight(64) + "alice"), "Error. Header byte 0 is 0x4e, not part of a decimal length; closing" },
    };

    [Theory]
    [MemberData(nameof(BeforeLogin))]
    public async Task A_frame_that_is_no_frame_before_login_gets_a_clear_error_and_the_close(string what, byte[] bytes, string error)
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var client = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));

        await client.SendRawAsync(bytes);
        client.ShutdownSend();

        Assert.True(Clear(error) == Encoding.UTF8.GetString(await client.ReadToEndAsync()), what);
        await AssertStillServingAsync(server);
        AssertLogged(server, "sent a frame that is refused");
    }

    public static TheoryData<string, string, string> UnusableKeys => new()
    {
        { "not PEM", "hello", "the key is not PEM text (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)" },
        // (An RSA private key is larger than a frame may be: refused as too long before this.)
        { "a private key", PrivateKeyPem(), "the PEM block is labelled 'PRIVATE KEY', not PUBLIC KEY" },
        { "an EC key", EcKeyPem(), "the PEM block is not an RSA public key" },
        { "a 1024-bit key", SmallKeyPem(), "the RSA key has 1024 bits; 2048-4096 are accepted" },
        { "a truncated key", "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n", "the PEM block is not an RSA public key" },
    };

    [Theory]
    [MemberData(nameof(UnusableKeys))]
    public async Task An_unusable_public_key_gets_a_clear_error_and_the_close_and_the_user_never_enters(string what, string pem, string problem)
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var carol = await TextChatUser.LoginAsync(server, "carol");
        await using var client = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));
        Assert.Equal("OK", await client.TryLoginAsync("mallory", "pw"));
        await client.ReceiveClearAsync();

        await client.SendClearAsync(pem);

        Assert.True(Clear("Error. Unusable public key: " + problem) == Encoding.UTF8.GetString(await client.ReadToEndAsync()), what);
        await carol.ExpectNothingElseAsync();
        AssertLogged(server, "sent an unusable public key");
    }

    [Fact]
    public async Task A_key_that_is_not_utf8_is_unusable()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var client = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));
        Assert.Equal("OK", await client.TryLoginAsync("mallory", "pw"));
        await client.ReceiveClearAsync();

        await client.SendRawAsync([.. Ascii("2".PadRight(64)), 0xff, 0xfe]);

        Assert.Equal(Clear("Error. Unusable public key: the key is not UTF-8 text"), Encoding.UTF8.GetString(await client.ReadToEndAsync()));
    }

    public static TheoryData<string, byte[], string> AfterKeys => new()
    {
        { "a payload that is not base64", [.. Ascii("MTA=".PadRight(64)), .. "not base64"u8], "SERVER: Error. The payload is not base64; closing\n" },
        { "a ciphertext of the wrong size", [.. Ascii("OA==".PadRight(64)), .. "AAAAAAA="u8], "SERVER: Error. The ciphertext is 5 bytes, not one 256-byte block; closing\n" },
        { "a clear header where a base64 one belongs", Ascii("344".PadRight(64)), "SERVER: Error. The header is not base64; closing\n" },
        { "a header that is no base64 at all", Ascii("hello, world"), "SERVER: Error. Header byte 5 is 0x2c, not part of a base64 length; closing\n" },
        { "a length over the limit", Ascii(Convert.ToBase64String(Ascii("5000")).PadRight(64)), "SERVER: Error. A header announced 5000 bytes; at most 1024 are read; closing\n" },
    };

    [Theory]
    [MemberData(nameof(AfterKeys))]
    public async Task A_bad_frame_after_the_key_exchange_gets_an_encrypted_error_and_the_close_and_the_room_hears_the_leave(string what, byte[] bytes, string error)
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var carol = await TextChatUser.LoginAsync(server, "carol");
        await using var alice = await SecureChatUsers.LoginAsync(server, "alice");
        await carol.ExpectAsync("alice logged in");

        await alice.SendRawAsync(bytes);
        alice.ShutdownSend();

        Assert.True(error == await alice.ReceiveAsync(), what);
        Assert.Empty(await alice.ReadToEndAsync());
        await carol.ExpectAsync("alice logged out");
        await AssertStillServingAsync(server);
    }

    [Fact]
    public async Task A_message_encrypted_for_another_key_or_with_other_padding_is_refused()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        using var other = RSA.Create(2048);
        foreach (var cipher in new[]
        {
            other.Encrypt("not for you"u8.ToArray(), RSAEncryptionPadding.OaepSHA256),
            new byte[256],
        })
        {
            await using var alice = await SecureChatUsers.LoginAsync(server, "alice");
            var payload = Ascii(Convert.ToBase64String(cipher));
            await alice.SendRawAsync([.. Ascii(Convert.ToBase64String(Ascii("344")).PadRight(64)), .. payload]);

            Assert.Equal("SERVER: Error. The ciphertext does not decrypt with the server's key (RSA-OAEP, SHA-256); closing\n", await alice.ReceiveAsync());
            Assert.Empty(await alice.ReadToEndAsync());
        }

        AssertLogged(server, "sent a message that does not decrypt");
    }

    [Fact]
    public async Task A_message_that_decrypts_to_something_other_than_utf8_is_refused()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var alice = await SecureChatUsers.LoginAsync(server, "alice");
        using var serverKey = RSA.Create();
        serverKey.ImportFromPem(alice.ServerKeyPem);
        var payload = Ascii(Convert.ToBase64String(serverKey.Encrypt([0xff, 0xfe], RSAEncryptionPadding.OaepSHA256)));

        await alice.SendRawAsync([.. Ascii(Convert.ToBase64String(Ascii("344")).PadRight(64)), .. payload]);

        Assert.Equal("SERVER: Error. The decrypted text is not UTF-8; closing\n", await alice.ReceiveAsync());
    }

    [Fact]
    public async Task Half_a_frame_then_a_close_leaves_nothing_behind()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var carol = await TextChatUser.LoginAsync(server, "carol");
        var alice = await SecureChatUsers.LoginAsync(server, "alice");
        await carol.ExpectAsync("alice logged in");

        await alice.SendRawAsync(Ascii("MzQ0".PadRight(64) + "AAAA"));
        await alice.DisposeAsync();

        await carol.ExpectAsync("alice logged out");
        await (await SecureChatUsers.LoginAsync(server, "alice")).DisposeAsync();
    }

    [Fact]
    public async Task A_silent_connection_is_closed_at_the_login_timeout_however_slowly_it_sends_a_header()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With("Chat:LoginTimeoutSeconds=1"));
        await using var client = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));

        // A few header bytes, then nothing: the time is a total, not per byte.
        await client.SendRawAsync(Ascii("5   "));

        Assert.Equal(Clear("Error. Login timed out"), Encoding.UTF8.GetString(await client.ReadToEndAsync()));
    }

    private static async Task AssertStillServingAsync(TestServer server)
    {
        await using var check = await SecureChatTestClient.ConnectAsync(SecureChatUsers.Port(server));
        Assert.Equal("OK", await check.TryLoginAsync("checker" + Guid.NewGuid().ToString("n")[..8], "pw"));
    }

    private static void AssertLogged(TestServer server, string text)
    {
        var lines = LogLines(server.DataDirectory);
        Assert.Contains(lines, l => l.Contains(text, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(" [ERR] ", StringComparison.Ordinal) || l.Contains(" [FTL] ", StringComparison.Ordinal));
    }

    private static List<string> LogLines(string dataDirectory)
    {
        var lines = new List<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(dataDirectory, "logs"), "*.log"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            lines.AddRange(reader.ReadToEnd().Split('\n'));
        }

        return lines;
    }

    private static string PrivateKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    private static string EcKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    private static string SmallKeyPem()
    {
        using var key = RSA.Create(1024);
        return key.ExportSubjectPublicKeyInfoPem();
    }
}
