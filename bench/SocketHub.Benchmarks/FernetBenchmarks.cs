using BenchmarkDotNet.Attributes;
using SocketHub.Protocol.Crypto;

namespace SocketHub.Benchmarks;

/// <summary>One Fernet encryption and one decryption (HMAC check, AES-128-CBC), as the crypto dialect does per request.</summary>
[MemoryDiagnoser]
public class FernetBenchmarks
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private FernetKey _key = null!;
    private FernetKey[] _keys = null!;
    private byte[] _plaintext = null!;
    private string _token = null!;

    [Params(64, 4096)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _key = FernetKey.Generate();
        _keys = [_key];
        _plaintext = new byte[Size];
        new Random(42).NextBytes(_plaintext);
        _token = Fernet.Encrypt(_key, _plaintext, Now);
    }

    [Benchmark]
    public string Encrypt() => Fernet.Encrypt(_key, _plaintext, Now);

    [Benchmark]
    public byte[] Decrypt()
    {
        if (Fernet.TryDecrypt(_keys, _token, Now, timeToLive: null, out var plaintext) != FernetError.None)
        {
            throw new InvalidOperationException("The token did not decrypt.");
        }

        return plaintext;
    }
}
