using SocketHub.Server.Hosting.Tls;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Tls;

/// <summary>A student's Python program with the standard <c>ssl</c> module, verifying the server against its certificate file.</summary>
public sealed class TlsPythonTests
{
    private const string Client = """
        import socket, ssl, sys
        port, cafile = int(sys.argv[1]), sys.argv[2]
        context = ssl.create_default_context(cafile=cafile)
        with socket.create_connection(("127.0.0.1", port)) as raw:
            with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                tls.sendall(b"#en#from python#\n")
                reply = b""
                while not reply.endswith(b"#\n"):
                    reply += tls.recv(4096)
                print(tls.version(), reply.decode().strip())
        """;

    [Fact]
    public async Task Python_ssl_verifies_the_self_signed_certificate_by_its_file_and_talks_to_the_crypto_port()
    {
        await using var server = await TestServer.StartAsync();

        var output = await Python.RunAsync(Client, server.PortOf("crypto-tls").ToString(System.Globalization.CultureInfo.InvariantCulture),
            Path.Combine(server.DataDirectory, TlsCertificates.CertificateFileName));

        Assert.Matches("^TLSv1\\.[23] #en#gAAAAA[A-Za-z0-9_=-]+#$", output.Trim());
    }
}
