using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SocketHub.TestSupport;

namespace SocketHub.Server.Tests.SecureChat;

/// <summary>
/// A client of the secure chat written from the protocol (not from the server's code, so that
/// a mistake shared by both cannot hide): frames of a 64-byte header holding the payload length
/// (ASCII decimal in clear, the base64 of it once encrypted) then the payload; login in clear;
/// public keys as PEM; then every message RSA-OAEP-SHA-256 encrypted and base64-encoded.
/// The bytes travel over a <see cref="TcpTestClient"/>, whose every read has a deadline.
/// </summary>
internal sealed class SecureChatTestClient : IAsyncDisposable
{
    private const int HeaderSize = 64;

    private readonly TcpTestClient _client;
    private readonly RSA _key;
    private RSA? _serverKey;

    private SecureChatTestClient(TcpTestClient client, RSA key)
    {
        _client = client;
        _key = key;
    }

    /// <summary>The server's public key as it sent it, after <see cref="ExchangeKeysAsync"/>.</summary>
    public string? ServerKeyPem { get; private set; }

    /// <summary>Connects with a new RSA-2048 key pair (or <paramref name="key"/>), as the original client makes one per run.</summary>
    public static async Task<SecureChatTestClient> ConnectAsync(int port, RSA? key = null)
    {
        return new SecureChatTestClient(await TcpTestClient.ConnectAsync(port), key ?? RSA.Create(2048));
    }

    /// <summary>Sends username and password in clear; returns the server's answer (<c>OK</c> or <c>FAILURE</c>).</summary>
    public async Task<string> TryLoginAsync(string user, string password)
    {
        await SendClearAsync(user);
        await SendClearAsync(password);
        return await ReceiveClearAsync();
    }

    /// <summary>Logs in, reads the welcome, exchanges keys; returns the welcome text.</summary>
    public async Task<string> LoginAsync(string user, string password = "secret")
    {
        var answer = await TryLoginAsync(user, password);
        if (answer != "OK")
        {
            throw new InvalidOperationException($"Login of {user} answered '{answer}'.");
        }

        var welcome = await ReceiveClearAsync();
        await ExchangeKeysAsync();
        return welcome;
    }

    /// <summary>Sends our public key (PEM SubjectPublicKeyInfo, as Python writes it), then reads the server's.</summary>
    public async Task ExchangeKeysAsync()
    {
        await SendClearAsync(_key.ExportSubjectPublicKeyInfoPem() + "\n");
        ServerKeyPem = await ReceiveClearAsync();
        var serverKey = RSA.Create();
        serverKey.ImportFromPem(ServerKeyPem);
        _serverKey = serverKey;
    }

    /// <summary>Sends a line as the original client does: with its line end, encrypted to the server's key.</summary>
    public Task SayAsync(string line) => SendEncryptedAsync(line + "\n");

    public Task SendEncryptedAsync(string text)
    {
        var cipher = (_serverKey ?? throw new InvalidOperationException("No key exchange yet.")).Encrypt(Encoding.UTF8.GetBytes(text), RSAEncryptionPadding.OaepSHA256);
        var payload = Encoding.ASCII.GetBytes(Convert.ToBase64String(cipher));
        var header = Convert.ToBase64String(Encoding.ASCII.GetBytes(payload.Length.ToString(CultureInfo.InvariantCulture)));
        return SendRawAsync([.. Encoding.ASCII.GetBytes(header.PadRight(HeaderSize)), .. payload]);
    }

    /// <summary>The next message, decrypted with our private key.</summary>
    public async Task<string> ReceiveAsync()
    {
        var header = await ReadExactlyAsync(HeaderSize) ?? throw new IOException("The server closed the connection.");
        var length = int.Parse(Encoding.ASCII.GetString(Convert.FromBase64String(Encoding.ASCII.GetString(header).Trim())), CultureInfo.InvariantCulture);
        var payload = await ReadExactlyAsync(length) ?? throw new IOException("The server closed in the middle of a message.");
        var plain = _key.Decrypt(Convert.FromBase64String(Encoding.ASCII.GetString(payload)), RSAEncryptionPadding.OaepSHA256);
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>Reads messages until one equals <paramref name="expected"/>; returns those before it.</summary>
    public async Task<List<string>> ReceiveUntilAsync(string expected)
    {
        var before = new List<string>();
        while (await ReceiveAsync() is var message && message != expected)
        {
            before.Add(message);
        }

        return before;
    }

    public Task SendClearAsync(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        return SendRawAsync([.. Encoding.ASCII.GetBytes(payload.Length.ToString(CultureInfo.InvariantCulture).PadRight(HeaderSize)), .. payload]);
    }

    public async Task<string> ReceiveClearAsync()
    {
        var header = await ReadExactlyAsync(HeaderSize) ?? throw new IOException("The server closed the connection.");
        var length = int.Parse(Encoding.ASCII.GetString(header).Trim(), CultureInfo.InvariantCulture);
        var payload = await ReadExactlyAsync(length) ?? throw new IOException("The server closed in the middle of a message.");
        return Encoding.UTF8.GetString(payload);
    }

    public Task SendRawAsync(byte[] bytes) => _client.SendAsync(bytes);

    /// <summary>Reads until the server closes (or resets); returns what came before the close (empty when nothing did).</summary>
    public async Task<byte[]> ReadToEndAsync() => (await _client.ReadUntilClosedAsync()).Bytes;

    public void ShutdownSend() => _client.ShutdownSend();

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        _key.Dispose();
        _serverKey?.Dispose();
    }

    private Task<byte[]?> ReadExactlyAsync(int count) => _client.ReadExactlyAsync(count);
}
