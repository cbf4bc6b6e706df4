using SocketHub.Server.Tests.Chat;
using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.SecureChat;

/// <summary>
/// Python's cryptography, the original's library, plays the client's side of the exchange: its
/// PEM key, its RSA-OAEP-SHA-256 and its base64, with the framing written from the protocol
/// (64-byte headers, decimal in clear, base64 once encrypted), against the real server.
/// </summary>
public sealed class SecureChatPythonInteropTests
{
    private const string Client = """
        import base64, socket, sys
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding, rsa

        OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)

        def exactly(sock, n):
            data = b""
            while len(data) < n:
                more = sock.recv(n - len(data))
                if not more:
                    raise SystemExit("closed after %d of %d bytes" % (len(data), n))
                data += more
            return data

        def send_clear(sock, text):
            payload = text.encode("utf-8")
            sock.sendall(str(len(payload)).encode().ljust(64, b" ") + payload)

        def receive_clear(sock):
            return exactly(sock, int(exactly(sock, 64).decode())).decode("utf-8")

        def send_secure(sock, key, text):
            payload = base64.b64encode(key.encrypt(text.encode("utf-8"), OAEP))
            sock.sendall(base64.b64encode(str(len(payload)).encode()).ljust(64, b" ") + payload)

        def receive_secure(sock, key):
            header = exactly(sock, 64)
            length = int(base64.b64decode(header))
            assert header == base64.b64encode(str(length).encode()).ljust(64, b" "), header
            return key.decrypt(base64.b64decode(exactly(sock, length)), OAEP).decode("utf-8")

        port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
        sock = socket.create_connection(("127.0.0.1", port))
        send_clear(sock, user)
        send_clear(sock, password)
        assert receive_clear(sock) == "OK"
        assert receive_clear(sock).startswith("Welcome " + user + "\n\t\t\t\tWelcome to the Chat Room!")
        mine = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        send_clear(sock, mine.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode())
        server_pem = receive_clear(sock)
        server = serialization.load_pem_public_key(server_pem.encode())
        assert server.key_size == 2048 and len(server_pem) == 451
        print(receive_secure(sock, mine), end="|")
        send_secure(sock, server, "hello from python, héllo 😀\n")
        print(receive_secure(sock, mine), end="|")
        send_secure(sock, server, "disconnect\n")
        assert sock.recv(1) == b""
        """;

    [Fact]
    public async Task A_python_client_logs_in_exchanges_keys_and_talks_with_a_telnet_user()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await using var carol = await TextChatUser.LoginAsync(server, "carol");

        var python = Python.RunAsync(Client, SecureChatUsers.Port(server).ToString(System.Globalization.CultureInfo.InvariantCulture), "py", "pypw");
        await carol.ExpectAsync("py logged in", "py (broadcast): hello from python, héllo 😀");
        await carol.RoundTripAsync("broadcast hi python, ünïcödé");
        await carol.ExpectAsync("py logged out");

        Assert.Equal("py: [ CONNECTED ]|carol: hi python, ünïcödé\n|", await python);
    }
}
