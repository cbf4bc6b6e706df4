using System.Buffers;
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

    /// <summary>
    /// The length of the token of a <paramref name="plaintextBytes"/>-byte text: version (1),
    /// timestamp (8), IV (16), the text padded to whole 16-byte blocks (always at least one byte
    /// of padding), HMAC (32), in padded base64 (4 characters for every 3 bytes, rounded up).
    /// </summary>
    public static int TokenLength(int plaintextBytes) => 4 * ((1 + 8 + 16 + ((plaintextBytes / 16) + 1) * 16 + 32 + 2) / 3);

    private const int BlockSize = 16;
    private const int HeaderSize = 1 + 8 + BlockSize;
    private const int HmacSize = 32;

    /// <summary>Encrypts with a fresh random IV.</summary>
    public static string Encrypt(FernetKey key, ReadOnlySpan<byte> plaintext, DateTimeOffset now)
    {
        Span<byte> iv = stackalloc byte[BlockSize];
        RandomNumberGenerator.Fill(iv);
        return Encrypt(key, plaintext, now, iv);
    }

    /// <summary>Encrypts with the given IV (16 bytes); a token written padded, as Python writes it.</summary>
    public static string Encrypt(FernetKey key, ReadOnlySpan<byte> plaintext, DateTimeOffset now, ReadOnlySpan<byte> iv)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (iv.Length != BlockSize)
        {
            throw new ArgumentException($"The IV is {BlockSize} bytes.", nameof(iv));
        }

        // The binary token only lives until it is base64-encoded: a pooled buffer, not a new array
        // per request (it holds ciphertext, never the plaintext or the key).
        var cipherLength = (plaintext.Length / BlockSize + 1) * BlockSize;
        var tokenLength = HeaderSize + cipherLength + HmacSize;
        var rented = ArrayPool<byte>.Shared.Rent(tokenLength);
        try
        {
            var token = rented.AsSpan(0, tokenLength);
            token[0] = Version;
            BinaryPrimitives.WriteUInt64BigEndian(token[1..], (ulong)Math.Max(0, now.ToUnixTimeSeconds()));
            iv.CopyTo(token[9..]);

            var aes = key.RentCipher();
            try
            {
                aes.EncryptCbc(plaintext, iv, token.Slice(HeaderSize, cipherLength), PaddingMode.PKCS7);
            }
            finally
            {
                key.ReturnCipher(aes);
            }

            HMACSHA256.HashData(key.SigningKey, token[..(HeaderSize + cipherLength)], token[(HeaderSize + cipherLength)..]);
            return FernetBase64.Encode(token);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Checks and decrypts a token, in the order the spec gives: base64, version, timestamp
    /// (future skew, then the optional time-to-live), HMAC in constant time (against each key in
    /// turn), decryption and unpadding. Nothing is decrypted before the HMAC has matched.
    /// </summary>
    public static FernetError TryDecrypt(
        IReadOnlyList<FernetKey> keys, ReadOnlySpan<char> token, DateTimeOffset now, TimeSpan? timeToLive, out byte[] plaintext)
    {
        ArgumentNullException.ThrowIfNull(keys);
        plaintext = [];
        // The decoded token is only read here: a pooled buffer, not a new array per request.
        var rented = ArrayPool<byte>.Shared.Rent(FernetBase64.MaxDecodedLength(token));
        try
        {
            if (!FernetBase64.TryDecode(token, rented, out var length))
            {
                return FernetError.NotBase64;
            }

            return TryDecrypt(keys, rented.AsSpan(0, length), now, timeToLive, out plaintext);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static FernetError TryDecrypt(
        IReadOnlyList<FernetKey> keys, ReadOnlySpan<byte> data, DateTimeOffset now, TimeSpan? timeToLive, out byte[] plaintext)
    {
        plaintext = [];
        if (data.Length < 1 || data[0] != Version)
        {
            return FernetError.UnknownVersion;
        }

        var cipherLength = data.Length - HeaderSize - HmacSize;
        if (cipherLength < BlockSize || cipherLength % BlockSize != 0)
        {
            return FernetError.BadLength;
        }

        var stamped = BinaryPrimitives.ReadUInt64BigEndian(data[1..]);
        var seconds = (ulong)Math.Max(0, now.ToUnixTimeSeconds());
        if (stamped > seconds + (ulong)MaxClockSkew.TotalSeconds)
        {
            return FernetError.FromTheFuture;
        }

        if (timeToLive is { } ttl && stamped + (ulong)ttl.TotalSeconds < seconds)
        {
            return FernetError.Expired;
        }

        var signed = data[..(HeaderSize + cipherLength)];
        var mac = data[(HeaderSize + cipherLength)..];
        Span<byte> expected = stackalloc byte[HmacSize];
        foreach (var key in keys)
        {
            HMACSHA256.HashData(key.SigningKey, signed, expected);
            if (!CryptographicOperations.FixedTimeEquals(expected, mac))
            {
                continue;
            }

            var aes = key.RentCipher();
            try
            {
                plaintext = aes.DecryptCbc(data.Slice(HeaderSize, cipherLength), data.Slice(9, BlockSize), PaddingMode.PKCS7);
                return FernetError.None;
            }
            catch (CryptographicException)
            {
                return FernetError.BadPadding;
            }
            finally
            {
                key.ReturnCipher(aes);
            }
        }

        return FernetError.BadSignature;
    }
}
