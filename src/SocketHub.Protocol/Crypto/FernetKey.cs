using System.Security.Cryptography;

namespace SocketHub.Protocol.Crypto;

/// <summary>
/// A Fernet key: a 16-byte signing key and a 16-byte encryption key, written as the URL-safe
/// base64 of the 32 bytes (what Python's <c>Fernet.generate_key()</c> prints).
/// <see cref="ToString"/> never shows the key, so a key that slips into a log line stays secret;
/// <see cref="Encode"/> is the one way to get its text.
/// </summary>
public sealed class FernetKey
{
    public const int Size = 32;
    private const int HalfSize = 16;

    private readonly byte[] _bytes;

    // One AES instance kept for reuse, so a request does not create one and copy the key into
    // it. Taken out while in use (instance members of Aes are not documented as thread-safe);
    // a request that finds it taken uses a fresh one, as every request used to.
    private Aes? _cachedCipher;

    private FernetKey(byte[] bytes) => _bytes = bytes;

    /// <summary>The key that signs tokens (HMAC-SHA256).</summary>
    public ReadOnlySpan<byte> SigningKey => _bytes.AsSpan(0, HalfSize);

    /// <summary>The key that encrypts them (AES-128-CBC).</summary>
    public ReadOnlySpan<byte> EncryptionKey => _bytes.AsSpan(HalfSize, HalfSize);

    /// <summary>A new key from the operating system's cryptographic random source.</summary>
    public static FernetKey Generate() => new(RandomNumberGenerator.GetBytes(Size));

    /// <summary>A key from its 32 raw bytes.</summary>
    public static FernetKey FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Size ? new(bytes.ToArray()) : throw new ArgumentException($"A Fernet key is {Size} bytes.", nameof(bytes));

    /// <summary>Reads a key's text: URL-safe base64 of 32 bytes, padded or not, surrounding whitespace ignored.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FernetKey? key)
    {
        key = null;
        if (text is null || !FernetBase64.TryDecode(text.AsSpan().Trim(), out var bytes) || bytes.Length != Size)
        {
            return false;
        }

        key = new FernetKey(bytes);
        return true;
    }

    /// <summary>The key's text, padded URL-safe base64 (44 characters), as Python writes it.</summary>
    public string Encode() => FernetBase64.Encode(_bytes);

    /// <summary>An AES instance keyed with <see cref="EncryptionKey"/>; give it back with <see cref="ReturnCipher"/>.</summary>
    internal Aes RentCipher()
    {
        if (Interlocked.Exchange(ref _cachedCipher, null) is { } cached)
        {
            return cached;
        }

        var aes = Aes.Create();
        aes.Key = EncryptionKey.ToArray();
        return aes;
    }

    internal void ReturnCipher(Aes aes)
    {
        if (Interlocked.CompareExchange(ref _cachedCipher, aes, null) is not null)
        {
            aes.Dispose();
        }
    }

    public override string ToString() => "FernetKey(hidden)";
}
