using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using SocketHub.Protocol.Text;

namespace SocketHub.Protocol.SecureChat;

/// <summary>
/// The secure chat's message encryption, as the original's <c>net_sec_lib</c> does it: the
/// UTF-8 text is encrypted with the recipient's RSA public key under OAEP (SHA-256, MGF1 with
/// SHA-256, no label), the ciphertext is base64-encoded, and that is the frame's payload (with a
/// base64 header). One RSA block per message and no hybrid scheme, so a message holds at most
/// <see cref="MaxPlaintextBytes"/> bytes: 190 for RSA-2048.
/// </summary>
public static class SecureChatCipher
{
    /// <summary>OAEP with SHA-256; .NET's MGF1 uses the same hash, as the original asks.</summary>
    public static readonly RSAEncryptionPadding Padding = RSAEncryptionPadding.OaepSHA256;

    /// <summary>What one message to a key of <paramref name="keyBits"/> bits can hold: k - 2*32 - 2 bytes (RFC 8017, 7.1.1).</summary>
    public static int MaxPlaintextBytes(int keyBits) => keyBits / 8 - 2 * SHA256.HashSizeInBytes - 2;

    /// <summary>The base64 text of the ciphertext of <paramref name="text"/>; throws when the text does not fit one block.</summary>
    public static byte[] Encrypt(RSA publicKey, string text)
    {
        var plain = Encoding.UTF8.GetBytes(text);
        var limit = MaxPlaintextBytes(publicKey.KeySize);
        if (plain.Length > limit)
        {
            throw new ArgumentException($"The message is {plain.Length} bytes of UTF-8; a {publicKey.KeySize}-bit key holds at most {limit}.", nameof(text));
        }

        var cipher = publicKey.Encrypt(plain, Padding);
        var encoded = new byte[Base64.GetMaxEncodedToUtf8Length(cipher.Length)];
        Base64.EncodeToUtf8(cipher, encoded, out _, out var written);
        return encoded[..written];
    }

    /// <summary>One encrypted frame: the base64 header and the base64 ciphertext.</summary>
    public static void WriteEncrypted(IBufferWriter<byte> to, RSA publicKey, string text) =>
        SecureChatFraming.Write(to, Encrypt(publicKey, text), SecureChatHeader.Base64);

    /// <summary>
    /// Decrypts a frame's payload with <paramref name="privateKey"/>. False, with the reason, when
    /// the payload is not base64, is not one block of the key's size, does not decrypt under
    /// OAEP, or is not UTF-8. The reason never holds the client's bytes.
    /// </summary>
    public static bool TryDecrypt(RSA privateKey, ReadOnlySpan<byte> payload, out string text, out string problem)
    {
        text = string.Empty;
        var blockSize = privateKey.KeySize / 8;
        // Decoding stops at the end of a buffer one block long: anything longer is refused by length.
        var cipher = new byte[Base64.GetMaxDecodedFromUtf8Length(payload.Length)];
        if (Base64.DecodeFromUtf8(payload, cipher, out _, out var written) != OperationStatus.Done)
        {
            problem = "the payload is not base64";
            return false;
        }

        if (written != blockSize)
        {
            problem = $"the ciphertext is {written} bytes, not one {blockSize}-byte block";
            return false;
        }

        byte[] plain;
        try
        {
            plain = privateKey.Decrypt(cipher.AsSpan(0, written).ToArray(), Padding);
        }
        catch (CryptographicException)
        {
            problem = "the ciphertext does not decrypt with the server's key (RSA-OAEP, SHA-256)";
            return false;
        }

        if (!StrictUtf8.TryDecode(plain, out text))
        {
            problem = "the decrypted text is not UTF-8";
            return false;
        }

        problem = string.Empty;
        return true;
    }
}
