namespace SocketHub.Server.Crypto;

/// <summary>
/// Crypto operations and failures, for /audit. Requests and error replies of every kind are
/// counted by the dialect's <see cref="Hosting.DialectStats"/>; these count the cryptography.
/// </summary>
public sealed class CryptoStats
{
    private long _encrypted, _decrypted, _keysGiven, _tokensRefused, _undecodableTexts;

    public long Encrypted => Interlocked.Read(ref _encrypted);
    public long Decrypted => Interlocked.Read(ref _decrypted);
    public long KeysGiven => Interlocked.Read(ref _keysGiven);

    /// <summary>Tokens refused: bad base64, version, length, time, signature or padding.</summary>
    public long TokensRefused => Interlocked.Read(ref _tokensRefused);

    /// <summary>Tokens that were genuine but held bytes that are not UTF-8 text.</summary>
    public long UndecodableTexts => Interlocked.Read(ref _undecodableTexts);

    /// <summary>Encryptions, decryptions and keys given, successful or not.</summary>
    public long Operations => Encrypted + Decrypted + KeysGiven + Failures;

    public long Failures => TokensRefused + UndecodableTexts;

    public void Encryption() => Interlocked.Increment(ref _encrypted);
    public void Decryption() => Interlocked.Increment(ref _decrypted);
    public void KeyGiven() => Interlocked.Increment(ref _keysGiven);
    public void TokenRefused() => Interlocked.Increment(ref _tokensRefused);
    public void UndecodableText() => Interlocked.Increment(ref _undecodableTexts);
}
