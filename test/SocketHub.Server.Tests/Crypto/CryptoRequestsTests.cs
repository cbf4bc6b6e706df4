using System.Text;
using SocketHub.Protocol.Crypto;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Crypto;

/// <summary>
/// The crypto requests and their replies, byte by byte, through the crypto listener's own
/// pipeline on in-memory connections. The crypto port keeps nothing between connections but its
/// counters (checked in <see cref="CryptoConnectionTests"/>), so these tests share one server.
/// </summary>
public sealed class CryptoRequestsTests(SharedTestServer shared) : IClassFixture<SharedTestServer>
{
    private InMemoryClient Connect() => shared.Server.ConnectInMemory("crypto");

    [Fact]
    public async Task Gk_tells_a_fernet_key()
    {
        await using var client = Connect();

        var reply = await client.AskAsync("#gk##");

        Assert.Matches(CryptoClient.KeyReply(), reply);
        Assert.True(FernetKey.TryParse(CryptoClient.PayloadOf(reply, "gk"), out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("héllo 日本語 😀👍🏽")]
    [InlineData("a#b#c")]
    [InlineData("#en#x#")]
    [InlineData("  spaces  ")]
    public async Task En_then_de_gives_back_the_text(string text)
    {
        await using var client = Connect();

        var encrypted = await client.AskAsync($"#en#{text}#");
        Assert.Matches(CryptoClient.TokenReply(), encrypted);
        var token = CryptoClient.PayloadOf(encrypted, "en");

        Assert.Equal($"#de#{text}#\n", await client.AskAsync($"#de#{token}#"));
        Assert.Equal($"#de#{text}#\n", await client.AskAsync($"#de#{token.TrimEnd('=')}#"));
    }

    [Fact]
    public async Task Texts_of_60_KiB_encrypt()
    {
        await using var client = Connect();
        var text = string.Concat(Enumerable.Repeat("0123456789abcdé", 60 * 1024 / 16));
        Assert.InRange(Encoding.UTF8.GetByteCount(text), 60 * 1024, CryptoFraming.MaxRequestBytes - 5);
        Assert.True(FernetKey.TryParse(await client.KeyAsync(), out var key));

        var token = await client.EncryptAsync(text);

        Assert.Equal(FernetError.None, Fernet.TryDecrypt([key], token, DateTimeOffset.UtcNow, null, out var plaintext));
        Assert.Equal(text, Encoding.UTF8.GetString(plaintext));
    }

    [Fact]
    public async Task Every_token_en_makes_is_taken_by_de_up_to_the_largest_text()
    {
        await using var client = Connect();
        foreach (var size in new[] { 60_000, 64 * 1024 })
        {
            var text = new string('t', size);
            var token = await client.EncryptAsync(text);
            Assert.Equal($"#de#{text}#\n", await client.AskAsync($"#de#{token}#"));
        }
    }

    [Fact]
    public async Task A_text_over_64_KiB_gets_text_too_large_and_the_connection_stays()
    {
        await using var client = Connect();
        Assert.Equal("#er#text too large#\n", await client.AskAsync("#en#" + new string('t', CryptoFraming.MaxTextBytes + 1) + "#"));
        Assert.StartsWith("#en#gAAAAA", await client.AskAsync("#en#still here#"));
    }

    [Fact]
    public void The_token_length_formula_matches_real_tokens()
    {
        var key = FernetKey.Generate();
        foreach (var size in new[] { 0, 1, 15, 16, 17, 1000, 60_000, CryptoFraming.MaxTextBytes })
        {
            Assert.Equal(Fernet.TokenLength(size), Fernet.Encrypt(key, new byte[size], DateTimeOffset.UtcNow).Length);
        }
    }

    [Theory]
    [InlineData("#xx#hello#", "#er#unknown operation#\n")]
    [InlineData("#EN#hello#", "#er#unknown operation#\n")]
    [InlineData("hello", "#er#malformed request#\n")]
    [InlineData("#en#hello", "#er#malformed request#\n")]
    [InlineData("#en#hello# ", "#er#malformed request#\n")]
    [InlineData("#gk#something#", "#er#malformed request#\n")]
    [InlineData("#", "#er#malformed request#\n")]
    [InlineData("#de#not a token#", "#er#invalid token#\n")]
    [InlineData("#de##", "#er#invalid token#\n")]
    [InlineData("#de#gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPA==#", "#er#invalid token#\n")]
    public async Task Bad_requests_get_their_error_and_the_connection_stays_usable(string request, string expected)
    {
        await using var client = Connect();

        Assert.Equal(expected, await client.AskAsync(request));
        Assert.Matches(CryptoClient.KeyReply(), await client.AskAsync("#gk##"));
    }

    [Theory]
    [InlineData(new byte[] { 0x23, 0x65, 0x6E, 0x23, 0xFF, 0x23, 0x0A })] // #en#<FF>#
    [InlineData(new byte[] { 0x23, 0x65, 0x6E, 0x23, 0x68, 0xC3, 0x23, 0x0A })] // #en#h<C3>#: a cut-off é
    [InlineData(new byte[] { 0x23, 0x64, 0x65, 0x23, 0xED, 0xA0, 0x80, 0x23, 0x0A })] // #de#<surrogate>#
    [InlineData(new byte[] { 0xC0, 0xAF, 0x0A })]
    public async Task Requests_that_are_not_utf8_get_invalid_encoding(byte[] request)
    {
        await using var client = Connect();

        await client.SendAsync(request);
        Assert.Equal("#er#invalid encoding#\n", await client.ReadRepliesAsync(1, '\n'));
        Assert.Matches(CryptoClient.KeyReply(), await client.AskAsync("#gk##"));
    }

    [Fact]
    public async Task Tampered_tokens_are_refused()
    {
        await using var client = Connect();
        var token = await client.EncryptAsync("secret");

        var flipped = token[..20] + (token[20] == 'A' ? 'B' : 'A') + token[21..];
        Assert.Equal("#er#invalid token#\n", await client.AskAsync($"#de#{flipped}#"));
        Assert.Equal("#er#invalid token#\n", await client.AskAsync($"#de#{token[..^8]}#"));
        Assert.Equal("#er#invalid token#\n", await client.AskAsync($"#de#{token}AAAA#"));
        Assert.Equal("#er#invalid token#\n", await client.AskAsync($"#de# {token}#"));
        Assert.Equal("#de#secret#\n", await client.AskAsync($"#de#{token}#"));
    }

    [Fact]
    public async Task A_request_without_a_line_end_is_answered_and_a_later_line_end_is_not()
    {
        await using var client = Connect();

        await client.SendAsync("#en#no newline#");
        var token = CryptoClient.PayloadOf(await client.ReadRepliesAsync(1, '\n'), "en");
        await client.SendAsync("\n");
        await client.SendAsync($"#de#{token}#");
        Assert.Equal("#de#no newline#\n", await client.ReadRepliesAsync(1, '\n'));
        await client.SendAsync("\r\n");
        client.ShutdownSend();

        Assert.Equal(string.Empty, await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Every_line_end_ends_a_request_and_empty_lines_are_ignored()
    {
        await using var client = Connect();

        await client.SendAsync("#xx#1#\r\n#xx#2#\r#xx#3#\n\n\r\n#xx#4#\r\0#zz##\n");

        Assert.Equal(
            string.Concat(Enumerable.Repeat("#er#unknown operation#\n", 5)),
            await client.ReadRepliesAsync(5, '\n'));
    }

    [Fact]
    public async Task Several_requests_in_one_packet_are_answered_in_order()
    {
        await using var client = Connect();

        await client.SendAsync("#gk##\n#xx##\n#en#a#\nbad\n");
        var replies = (await client.ReadRepliesAsync(4, '\n')).Split('\n');

        Assert.Matches(CryptoClient.KeyReply(), replies[0] + "\n");
        Assert.Equal("#er#unknown operation#", replies[1]);
        Assert.Matches(CryptoClient.TokenReply(), replies[2] + "\n");
        Assert.Equal("#er#malformed request#", replies[3]);
    }
}
