using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using SocketHub.Protocol.SecureChat;
using SocketHub.Server.Board;
using SocketHub.Server.Chat;
using SocketHub.Server.Crypto;
using SocketHub.Server.History;
using SocketHub.Server.Hosting;
using SocketHub.Server.SecureChat;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.SecureChat;

public sealed class SecureChatKeyStoreTests
{
    private static SecureChatKeyStore Open(string directory) => new(
        new ServerSettings(new ListenSettings(), new StorageSettings { DataDirectory = directory }, new LimitsSettings(), new OpsSettings(), new SocketHub.Server.Hosting.Tls.TlsSettings()),
        NullLogger<SecureChatKeyStore>.Instance);

    [Fact]
    public void The_key_is_made_once_readable_by_its_owner_only_and_read_again_at_the_next_start()
    {
        using var data = new TempDirectory();
        var first = Open(data.Path);
        var path = Path.Combine(data.Path, SecureChatKeyStore.FileName);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.False(File.Exists(path + ".new"));
        Assert.Equal(first.PublicKeyPem, Open(data.Path).PublicKeyPem);
    }

    [Fact]
    public void The_public_key_is_rsa_2048_pem_and_each_connection_gets_a_private_key_that_decrypts_for_it()
    {
        using var data = new TempDirectory();
        var store = Open(data.Path);

        Assert.Equal(451, store.PublicKeyPem.Length);
        Assert.True(SecureChatKeys.TryImportPublicKey(store.PublicKeyPem, out var publicKey, out _));
        using (publicKey)
        using (var one = store.CreatePrivateKey())
        using (var two = store.CreatePrivateKey())
        {
            Assert.NotSame(one, two);
            var payload = SecureChatCipher.Encrypt(publicKey, "for the server");
            Assert.True(SecureChatCipher.TryDecrypt(one, payload, out var text, out _));
            Assert.True(SecureChatCipher.TryDecrypt(two, payload, out _, out _));
            Assert.Equal("for the server", text);
        }
    }

    [Theory]
    [InlineData("not a key")]
    [InlineData("")]
    public void A_key_file_that_holds_no_key_stops_the_start_with_what_to_do(string content)
    {
        using var data = new TempDirectory();
        File.WriteAllText(Path.Combine(data.Path, SecureChatKeyStore.FileName), content);

        var e = Assert.Throws<InvalidSettingsException>(() => Open(data.Path));
        Assert.Contains(SecureChatKeyStore.FileName, e.Message, StringComparison.Ordinal);
        Assert.Contains("delete it to have a new key made", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_public_key_alone_or_a_key_of_another_size_is_refused()
    {
        using var data = new TempDirectory();
        var path = Path.Combine(data.Path, SecureChatKeyStore.FileName);
        using var small = RSA.Create(1024);

        File.WriteAllText(path, small.ExportPkcs8PrivateKeyPem());
        Assert.Contains("1024 bits", Assert.Throws<InvalidSettingsException>(() => Open(data.Path)).Message, StringComparison.Ordinal);

        using var right = RSA.Create(2048);
        File.WriteAllText(path, right.ExportSubjectPublicKeyInfoPem());
        Assert.Throws<InvalidSettingsException>(() => Open(data.Path));
    }
}
