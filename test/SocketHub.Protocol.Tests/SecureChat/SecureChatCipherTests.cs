using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using SocketHub.Protocol.SecureChat;
using Xunit;

namespace SocketHub.Protocol.Tests.SecureChat;

public sealed class SecureChatCipherTests
{
    private static readonly RSA Key = SecureChatVectors.PrivateKey();

    [Fact]
    public void A_message_python_encrypted_decrypts()
    {
        Assert.True(SecureChatCipher.TryDecrypt(Key, Encoding.ASCII.GetBytes(SecureChatVectors.HelloCiphertext), out var text, out var problem), problem);
        Assert.Equal("hello\n", text);
    }

    [Theory]
    [InlineData("hello\n")]
    [InlineData("")]
    [InlineData("héllo 日本語 😀\n")]
    public void Encrypt_then_decrypt_gives_the_text_back(string text)
    {
        var payload = SecureChatCipher.Encrypt(Key, text);

        Assert.Equal(344, payload.Length); // 256 bytes of RSA-2048 ciphertext in base64
        Assert.True(SecureChatCipher.TryDecrypt(Key, payload, out var back, out _));
        Assert.Equal(text, back);
    }

    [Fact]
    public void Oaep_is_randomised_so_the_same_text_never_encrypts_the_same_twice() =>
        Assert.NotEqual(SecureChatCipher.Encrypt(Key, "same"), SecureChatCipher.Encrypt(Key, "same"));

    [Fact]
    public void An_rsa_2048_message_holds_190_bytes()
    {
        Assert.Equal(190, SecureChatCipher.MaxPlaintextBytes(2048));
        Assert.Equal(446, SecureChatCipher.MaxPlaintextBytes(4096));
        SecureChatCipher.Encrypt(Key, new string('x', 190));
        Assert.Throws<ArgumentException>(() => SecureChatCipher.Encrypt(Key, new string('x', 191)));
        // The bound is in bytes of UTF-8: 95 two-byte characters fit, 96 do not.
        SecureChatCipher.Encrypt(Key, new string('é', 95));
        Assert.Throws<ArgumentException>(() => SecureChatCipher.Encrypt(Key, new string('é', 96)));
    }

    [Fact]
    public void An_encrypted_frame_has_the_base64_header_then_the_ciphertext()
    {
        var buffer = new ArrayBufferWriter<byte>();
        SecureChatCipher.WriteEncrypted(buffer, Key, "hi");
        var frame = Encoding.ASCII.GetString(buffer.WrittenSpan);

        Assert.Equal("MzQ0".PadRight(64), frame[..64]);
        Assert.True(SecureChatCipher.TryDecrypt(Key, buffer.WrittenSpan[64..], out var text, out _));
        Assert.Equal("hi", text);
    }

    [Fact]
    public void A_payload_that_is_not_base64_is_refused()
    {
        Assert.False(SecureChatCipher.TryDecrypt(Key, "not base64!"u8, out _, out var problem));
        Assert.Equal("the payload is not base64", problem);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(255)]
    [InlineData(257)]
    [InlineData(512)]
    public void A_ciphertext_of_the_wrong_size_is_refused(int size)
    {
        var payload = Encoding.ASCII.GetBytes(Convert.ToBase64String(new byte[size]));

        Assert.False(SecureChatCipher.TryDecrypt(Key, payload, out _, out var problem));
        Assert.Equal($"the ciphertext is {size} bytes, not one 256-byte block", problem);
    }

    [Fact]
    public void A_tampered_ciphertext_is_refused()
    {
        var cipher = Convert.FromBase64String(SecureChatVectors.HelloCiphertext);
        cipher[100] ^= 1;

        Assert.False(SecureChatCipher.TryDecrypt(Key, Encoding.ASCII.GetBytes(Convert.ToBase64String(cipher)), out _, out var problem));
        Assert.Equal("the ciphertext does not decrypt with the server's key (RSA-OAEP, SHA-256)", problem);
    }

    [Fact]
    public void A_message_for_another_key_is_refused()
    {
        using var other = RSA.Create(2048);
        var payload = SecureChatCipher.Encrypt(other, "not for you");

        Assert.False(SecureChatCipher.TryDecrypt(Key, payload, out _, out _));
    }

    [Fact]
    public void Pkcs1_v15_padding_is_not_oaep_and_is_refused()
    {
        var cipher = Key.Encrypt("hello"u8.ToArray(), RSAEncryptionPadding.Pkcs1);

        Assert.False(SecureChatCipher.TryDecrypt(Key, Encoding.ASCII.GetBytes(Convert.ToBase64String(cipher)), out _, out _));
    }

    [Fact]
    public void Oaep_with_sha1_is_refused()
    {
        var cipher = Key.Encrypt("hello"u8.ToArray(), RSAEncryptionPadding.OaepSHA1);

        Assert.False(SecureChatCipher.TryDecrypt(Key, Encoding.ASCII.GetBytes(Convert.ToBase64String(cipher)), out _, out _));
    }

    [Fact]
    public void A_decrypted_message_that_is_not_utf8_is_refused()
    {
        var cipher = Key.Encrypt([0xff, 0xfe, (byte)'a'], SecureChatCipher.Padding);

        Assert.False(SecureChatCipher.TryDecrypt(Key, Encoding.ASCII.GetBytes(Convert.ToBase64String(cipher)), out _, out var problem));
        Assert.Equal("the decrypted text is not UTF-8", problem);
    }
}
