using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Hosting;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Tls;

/// <summary>The server's rules hold inside TLS: handshake time, connection limits, protocol versions, the ops port.</summary>
public sealed class TlsRulesTests
{
    [Fact]
    public async Task A_client_that_never_completes_its_handshake_is_closed_and_logged_while_others_are_served()
    {
        await using var server = await TestServer.StartAsync("Tls:HandshakeTimeoutSeconds=0.5", "Serilog:MinimumLevel:Default=Information");
        using var slow = new TcpClient();
        await slow.ConnectAsync(IPAddress.Loopback, server.PortOf("board-tls"));
        await slow.GetStream().WriteAsync(new byte[] { 0x16, 0x03, 0x01 }); // the first bytes of a ClientHello, and no more

        await using (var client = await TlsServer.ConnectAsync(server, "board"))
        {
            await client.SendAsync("GET%\n");
            Assert.Equal("MSG[(1, 'Server has Started')]%", await client.ReadUntilAsync("%"));
        }

        var read = await slow.GetStream().ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, read);
        // The gate logs before the socket closes, and the file sink writes each event through.
        Assert.Contains("board-tls TLS handshake from 127.0.0.1 did not complete", LogText(server.DataDirectory), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_per_address_limit_counts_tls_connections_and_refuses_before_the_handshake()
    {
        await using var server = await TestServer.StartAsync("Limits:ConnectionsPerAddress=1");
        await using var first = await TlsServer.ConnectAsync(server, "crypto");

        await Assert.ThrowsAnyAsync<Exception>(async () => await TlsServer.ConnectAsync(server, "crypto"));

        await first.SendAsync("#gk##\n");
        Assert.StartsWith("#gk#", await first.ReadUntilAsync("#\n"), StringComparison.Ordinal);
        Assert.Equal(1, server.App.Services.GetRequiredService<ServerStats>().Dialects.Single(d => d.Dialect.Name == "crypto").Rejected);
    }

    [Fact]
    public async Task Only_tls_1_2_and_1_3_are_spoken()
    {
        await using var server = await TestServer.StartAsync();
        await using (var modern = await TlsServer.ConnectAsync(server, "board"))
        {
            Assert.Contains(modern.Protocol, new[] { SslProtocols.Tls12, SslProtocols.Tls13 });
        }

        await using var tls12 = await TlsTestClient.ConnectAsync(server.PortOf("board-tls"), TlsServer.Fingerprint(server), SslProtocols.Tls12);
        Assert.Equal(SslProtocols.Tls12, tls12.Protocol);
    }

    [Fact]
    public async Task The_audit_answers_over_https_with_the_fingerprint_and_every_tls_port()
    {
        await using var server = await TestServer.StartAsync("Ops:AuditToken=let-me-in");
        var fingerprint = TlsServer.Fingerprint(server);
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                SocketHub.Server.Hosting.Tls.TlsCertificates.FingerprintOf(certificate!) == fingerprint,
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{server.PortOf("ops-tls")}") };
        http.DefaultRequestHeaders.Authorization = new("Bearer", "let-me-in");

        var audit = await http.GetFromJsonAsync<JsonElement>("/audit");

        Assert.Equal(fingerprint, audit.GetProperty("tls").GetProperty("fingerprint").GetString());
        foreach (var dialect in audit.GetProperty("dialects").EnumerateArray())
        {
            var name = dialect.GetProperty("name").GetString()!;
            Assert.Equal(server.PortOf(name + "-tls"), dialect.GetProperty("tlsPort").GetInt32());
        }
    }

    [Fact]
    public async Task A_tls_port_of_0_opens_no_tls_listener_for_that_dialect()
    {
        await using var server = await TestServer.StartAsync("Board:TlsPort=0", "Ops:TlsPort=0");
        var names = server.App.Services.GetRequiredService<ListenerRegistry>().Endpoints.Select(e => e.Name).ToList();

        Assert.DoesNotContain("board-tls", names);
        Assert.DoesNotContain("ops-tls", names);
        Assert.Contains("history-tls", names);
    }

    private static string LogText(string dataDirectory) => string.Concat(
        Directory.GetFiles(Path.Combine(dataDirectory, "logs"), "*.log").Select(file =>
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new StreamReader(stream).ReadToEnd();
        }));
}
