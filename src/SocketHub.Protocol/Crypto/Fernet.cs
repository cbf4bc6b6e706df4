using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SocketHub.Protocol.Crypto;

/// <summary>Why a token was refused (the wire says only "invalid token"; tests and logs can tell them apart).</summary>
public enum FernetError
{
    None,

    /// <summary>Not URL-safe base64.</summary>
    NotBase64,

    /// <summary>The first byte is not 0x80.</summary>
    UnknownVersion,

    /// <summary>Too short to hold a header, one cipher block and an HMAC, or not a whole number of blocks.</summary>
    BadLength,

    /// <summary>Stamped more than <see cref="Fernet.MaxClockSkew"/> in the future.</summary>
    FromTheFuture,

    /// <summary>Older than the time-to-live.</summary>
    Expired,

    /// <summary>The HMAC does not match any key: tampered, or made with another key.</summary>
    BadSignature,

    /// <summary>The signature was right but the plaintext's PKCS7 padding was not.</summary>
    BadPadding,
}

/// <summary>
/// Fernet tokens (https://github.com/fernet/spec): <c>0x80 | timestamp (8 bytes, big-endian
/// seconds) | IV (16) | AES-128-CBC ciphertext, PKCS7 | HMAC-SHA256 (32)</c> over everything
/// before the HMAC, then URL-safe base64. The clock and the IV are parameters so the spec's
/// vectors can be checked; the server passes its TimeProvider's time and a random IV.
/// </summary>
public static class Fernet
{
    public const byte Version = 0x80;

    /// <summary>How far in the future a token may be stamped (clocks of two machines differ).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(60);

    private const int BlockSize = 16;
    private const int HeaderSize = 1 + 8 + BlockSize;
    private const int HmacSize = 32;

    /// <summary>Encrypts with a fresh random IV.</summary>
    public static string Encrypt(FernetKey key, ReadOnlySpan<byte> plaintext, DateTimeOffset now) =>
        Encrypt(key, plaintext, now, RandomNumberGenerator.GetBytes(BlockSize));

    /// <summary>Encrypts with the given IV (16 bytes); a token written padded, as Python writes it.</summary>
    public static string Encrypt(FernetKey key, ReadOnlySpan<byte> plaintext, DateTimeOffset now, ReadOnlySpan<byte> iv)
    {
        if (iv.Length != BlockSize)
        {
            throw new ArgumentException($"The IV is {BlockSize} bytes.", nameof(iv));
        }

        var cipherLength = (plaintext.Length / BlockSize + 1) * BlockSize;
        var token = new byte[HeaderSize + cipherLength + HmacSize];
        token[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(token.AsSpan(1), (ulong)Math.Max(0, now.ToUnixTimeSeconds()));
        iv.CopyTo(token.AsSpan(9));

        using (var aes = Aes.Create())
        {
            aes.Key = key.EncryptionKey.ToArray();
            aes.EncryptCbc(plaintext, iv, token.AsSpan(HeaderSize, cipherLength), PaddingMode.PKCS7);
        }

        HMACSHA256.HashData(key.SigningKey, token.AsSpan(0, HeaderSize + cipherLength), token.AsSpan(HeaderSize + cipherLength));
        return FernetBase64.Encode(token);
    }

    /// <summary>
    /// Checks and decrypts a token, in the order the spec gives: base64, version, timestamp
    /// (future skew, then the optional time-to-live), HMAC in constant time (against each key in
    /// turn), decryption and unpadding. Nothing is decrypted before the HMAC has matched.
    /// </summary>
    public static FernetError TryDecrypt(
        IReadOnlyList<FernetKey> keys, ReadOnlySpan<char> token, DateTimeOffset now, TimeSpan? timeToLive, out byte[] plaintext)
    {
        plaintext = [];
        if (!FernetBase64.TryDecode(token, out var data))
        {
            return FernetError.NotBase64;
        }

        if (data.Length < 1 || data[0] != Version)
        {
            return FernetError.UnknownVersion;
        }

        var cipherLength = data.Length - HeaderSize - HmacSize;
        if (cipherLength < BlockSize || cipherLength % BlockSize != 0)
        {
            return FernetError.BadLength;
        }

        var stamped = BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(1));
        var seconds = (ulong)Math.Max(0, now.ToUnixTimeSeconds());
        if (stamped > seconds + (ulong)MaxClockSkew.TotalSeconds)
        {
            return FernetError.FromTheFuture;
        }

        if (timeToLive is { } ttl && stamped + (ulong)ttl.TotalSeconds < seconds)
        {
            return FernetError.Expired;
        }

        var signed = data.AsSpan(0, HeaderSize + cipherLength);
        var mac = data.AsSpan(HeaderSize + cipherLength);
        Span<byte> expected = stackalloc byte[HmacSize];
        foreach (var key in keys)
        {
            HMACSHA256.HashData(key.SigningKey, signed, expected);
            if (!CryptographicOperations.FixedTimeEquals(expected, mac))
            {
                continue;
            }

            try
            {
                using var aes = Aes.Create();
                aes.Key = key.EncryptionKey.ToArray();
                plaintext = aes.DecryptCbc(data.AsSpan(HeaderSize, cipherLength), data.AsSpan(9, BlockSize), PaddingMode.PKCS7);
                return FernetError.None;
            }
            catch (CryptographicException)
            {
                return FernetError.BadPadding;
            }
        }

        return FernetError.BadSignature;
    }
}
