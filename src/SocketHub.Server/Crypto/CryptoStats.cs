using System.Diagnostics.Metrics;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Crypto;

/// <summary>
/// Crypto operations and failures, for /audit, also published on the <c>SocketHub</c> meter
/// (one source of truth). Requests and error replies of every kind are counted by the dialect's
/// <see cref="DialectStats"/>; these count the cryptography.
/// </summary>
public sealed class CryptoStats
{
    private long _encrypted, _decrypted, _keysGiven, _tokensRefused, _undecodableTexts;

    public CryptoStats(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ServerStats.MeterName);
        meter.CreateObservableCounter(
            "sockethub.crypto.operations",
            () => new[]
            {
                Measure(Encrypted, "operation", "encrypt"),
                Measure(Decrypted, "operation", "decrypt"),
                Measure(KeysGiven, "operation", "key"),
            },
            "{operation}",
            "Crypto operations that succeeded");
        meter.CreateObservableCounter(
            "sockethub.crypto.failures",
            () => new[]
            {
                Measure(TokensRefused, "reason", "invalid_token"),
                Measure(UndecodableTexts, "reason", "invalid_encoding"),
            },
            "{operation}",
            "Decryptions refused");
    }

    public long Encrypted => Interlocked.Read(ref _encrypted);
    public long Decrypted => Interlocked.Read(ref _decrypted);
    public long KeysGiven => Interlocked.Read(ref _keysGiven);

    /// <summary>Tokens refused: bad base64, version, length, time, signature or padding.</summary>
    public long TokensRefused => Interlocked.Read(ref _tokensRefused);

    /// <summary>Tokens that were genuine but held bytes that are not UTF-8 text.</summary>
    public long UndecodableTexts => Interlocked.Read(ref _undecodableTexts);

    /// <summary>Encryptions, decryptions and keys given, failed decryptions included.</summary>
    public long Operations => Encrypted + Decrypted + KeysGiven + Failures;

    public long Failures => TokensRefused + UndecodableTexts;

    private static Measurement<long> Measure(long value, string tag, string name) =>
        new(value, new KeyValuePair<string, object?>(tag, name));

    public void Encryption() => Interlocked.Increment(ref _encrypted);
    public void Decryption() => Interlocked.Increment(ref _decrypted);
    public void KeyGiven() => Interlocked.Increment(ref _keysGiven);
    public void TokenRefused() => Interlocked.Increment(ref _tokensRefused);
    public void UndecodableText() => Interlocked.Increment(ref _undecodableTexts);
}
