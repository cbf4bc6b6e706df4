using Microsoft.Extensions.DependencyInjection;
using SocketHub.Protocol.Crypto;
using SocketHub.Server.Crypto;
using SocketHub.Server.Hosting;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Crypto;

/// <summary>
/// The crypto port over real sockets, each test on a server of its own: what crosses the wire
/// (half-close, the request size limit, the idle timeout, the connection limit) and the counters.
/// </summary>
public sealed class CryptoConnectionTests
{
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
        Assert.Matches(CryptoClient.KeyReply(), await first.AskAsync("#gk##"));

        await using var second = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));

        Assert.Equal("#er#Too many connections from your address#\n", await second.ReadToEndAsync());
    }
}
