using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Protocol.Crypto;
using SocketHub.Server.Crypto;
using SocketHub.Server.Hosting;
using SocketHub.Server.Tests.Infrastructure;
using Xunit;

namespace SocketHub.Server.Tests.Crypto;

public sealed partial class CryptoRequestsTests
{
    [Fact]
    public async Task Gk_tells_a_fernet_key()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));

        var reply = await client.AskAsync("#gk##");

        Assert.Matches(KeyReply(), reply);
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
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));

        var encrypted = await client.AskAsync($"#en#{text}#");
        Assert.Matches(TokenReply(), encrypted);
        var token = CryptoClient.PayloadOf(encrypted, "en");

        Assert.Equal($"#de#{text}#\n", await client.AskAsync($"#de#{token}#"));
        Assert.Equal($"#de#{text}#\n", await client.AskAsync($"#de#{token.TrimEnd('=')}#"));
    }

    [Fact]
    public async Task Texts_of_60_KiB_encrypt()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
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
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
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
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
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
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));

        Assert.Equal(expected, await client.AskAsync(request));
        Assert.Matches(KeyReply(), await client.AskAsync("#gk##"));
    }

    [Theory]
    [InlineData(new byte[] { 0x23, 0x65, 0x6E, 0x23, 0xFF, 0x23, 0x0A })] // #en#<FF>#
    [InlineData(new byte[] { 0x23, 0x65, 0x6E, 0x23, 0x68, 0xC3, 0x23, 0x0A })] // #en#h<C3>#: a cut-off é
    [InlineData(new byte[] { 0x23, 0x64, 0x65, 0x23, 0xED, 0xA0, 0x80, 0x23, 0x0A })] // #de#<surrogate>#
    [InlineData(new byte[] { 0xC0, 0xAF, 0x0A })]
    public async Task Requests_that_are_not_utf8_get_invalid_encoding(byte[] request)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));

        await client.SendAsync(request);
        Assert.Equal("#er#invalid encoding#\n", await client.ReadRepliesAsync(1, '\n'));
        Assert.Matches(KeyReply(), await client.AskAsync("#gk##"));
    }

    [Fact]
    public async Task A_genuine_token_whose_text_is_not_utf8_gets_invalid_encoding()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
        Assert.True(FernetKey.TryParse(await client.KeyAsync(), out var key));
        var token = Fernet.Encrypt(key, [0x66, 0xFF, 0xFE], DateTimeOffset.UtcNow);

        Assert.Equal("#er#invalid encoding#\n", await client.AskAsync($"#de#{token}#"));
        Assert.Equal(1, server.App.Services.GetRequiredService<CryptoStats>().UndecodableTexts);
    }

    [Fact]
    public async Task Tampered_tokens_are_refused()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
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
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));

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
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));

        await client.SendAsync("#xx#1#\r\n#xx#2#\r#xx#3#\n\n\r\n#xx#4#\r\0#zz##\n");

        Assert.Equal(
            string.Concat(Enumerable.Repeat("#er#unknown operation#\n", 5)),
            await client.ReadRepliesAsync(5, '\n'));
    }

    [Fact]
    public async Task Several_requests_in_one_packet_are_answered_in_order()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));

        await client.SendAsync("#gk##\n#xx##\n#en#a#\nbad\n");
        var replies = (await client.ReadRepliesAsync(4, '\n')).Split('\n');

        Assert.Matches(KeyReply(), replies[0] + "\n");
        Assert.Equal("#er#unknown operation#", replies[1]);
        Assert.Matches(TokenReply(), replies[2] + "\n");
        Assert.Equal("#er#malformed request#", replies[3]);
    }

    [Fact]
    public async Task Half_close_gets_every_reply_and_an_unfinished_request_is_answered()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));

        await client.SendAsync("#xx##\n#en#unfinished");
        client.ShutdownSend();

        Assert.Equal("#er#unknown operation#\n#er#malformed request#\n", await client.ReadToEndAsync());
    }

    [Fact]
    public async Task A_request_over_the_largest_token_gets_request_too_large_and_the_close()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));

        await client.SendAsync("#en#" + new string('x', CryptoFraming.MaxRequestBytes));
        client.ShutdownSend();

        Assert.Equal("#er#request too large#\n", await client.ReadToEndAsync());
    }

    [Fact]
    public async Task A_request_of_exactly_the_largest_size_is_answered()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));

        var reply = await client.AskAsync("#xx#" + new string('x', CryptoFraming.MaxRequestBytes - 5) + "#");

        Assert.Equal("#er#unknown operation#\n", reply);
    }

    [Fact]
    public async Task An_idle_connection_gets_idle_timeout_and_the_close()
    {
        await using var server = await TestServer.StartAsync("Crypto:IdleTimeoutSeconds=0.2");
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));

        await client.SendAsync("#en#half a requ");

        Assert.Equal("#er#idle timeout#\n", await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Counters_count_operations_failures_requests_and_errors()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));

        var token = await client.EncryptAsync("x");
        await client.AskAsync($"#de#{token}#");
        await client.AskAsync("#gk##");
        await client.AskAsync("#de#bad#");
        await client.AskAsync("#yy##");

        var crypto = server.App.Services.GetRequiredService<CryptoStats>();
        Assert.Equal((1, 1, 1, 1), (crypto.Encrypted, crypto.Decrypted, crypto.KeysGiven, crypto.TokensRefused));
        Assert.Equal(4, crypto.Operations);
        Assert.Equal(1, crypto.Failures);
        var dialect = server.App.Services.GetRequiredService<ServerStats>().For(CryptoDialect.Info);
        Assert.Equal(5, dialect.Requests);
        Assert.Equal(2, dialect.Errors);
    }

    [Fact]
    public async Task Crypto_counters_are_published_on_the_SocketHub_meter()
    {
        await using var server = await TestServer.StartAsync();
        await using (var client = await TcpTestClient.ConnectAsync(server.PortOf("crypto")))
        {
            await client.EncryptAsync("x");
            await client.EncryptAsync("y");
            await client.AskAsync("#de#bad#");
        }

        var seen = MeterReadings.Read(server);

        Assert.Equal(2, seen["sockethub.crypto.operations encrypt"]);
        Assert.Equal(0, seen["sockethub.crypto.operations decrypt"]);
        Assert.Equal(1, seen["sockethub.crypto.failures invalid_token"]);
        Assert.Equal(3, seen["sockethub.requests crypto"]);
    }

    [Fact]
    public async Task Over_the_connection_limit_the_reason_comes_in_the_crypto_format()
    {
        await using var server = await TestServer.StartAsync("Limits:ConnectionsPerAddress=1");
        await using var first = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
        Assert.Matches(KeyReply(), await first.AskAsync("#gk##"));

        await using var second = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));

        Assert.Equal("#er#Too many connections from your address#\n", await second.ReadToEndAsync());
    }

    [GeneratedRegex(@"^#gk#[A-Za-z0-9_-]{43}=#\n$")]
    private static partial Regex KeyReply();

    [GeneratedRegex(@"^#en#gAAAAA[A-Za-z0-9_-]+=*#\n$")]
    private static partial Regex TokenReply();
}
