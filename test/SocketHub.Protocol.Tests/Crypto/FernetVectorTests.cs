using System.Text;
using System.Text.Json;
using SocketHub.Protocol.Crypto;
using Xunit;

namespace SocketHub.Protocol.Tests.Crypto;

/// <summary>The official vectors of github.com/fernet/spec, with the clock set to each vector's "now".</summary>
public sealed class FernetVectorTests
{
    public static TheoryData<int> Generate() => Indices("generate.json");

    public static TheoryData<int> Verify() => Indices("verify.json");

    public static TheoryData<string> Invalid()
    {
        var data = new TheoryData<string>();
        foreach (var vector in Load("invalid.json"))
        {
            data.Add(vector.GetProperty("desc").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Generate))]
    public void Generate_vector_gives_the_exact_token(int index)
    {
        var v = Load("generate.json")[index];
        var iv = v.GetProperty("iv").EnumerateArray().Select(b => (byte)b.GetInt32()).ToArray();

        var token = Fernet.Encrypt(Key(v), Encoding.UTF8.GetBytes(v.GetProperty("src").GetString()!), Now(v), iv);

        Assert.Equal(v.GetProperty("token").GetString(), token);
    }

    [Theory]
    [MemberData(nameof(Verify))]
    public void Verify_vector_decrypts_to_its_source(int index)
    {
        var v = Load("verify.json")[index];

        var error = Fernet.TryDecrypt([Key(v)], v.GetProperty("token").GetString(), Now(v), Ttl(v), out var plaintext);

        Assert.Equal(FernetError.None, error);
        Assert.Equal(v.GetProperty("src").GetString(), Encoding.UTF8.GetString(plaintext));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_vector_is_refused_for_its_reason(string description)
    {
        var v = Load("invalid.json").Single(x => x.GetProperty("desc").GetString() == description);
        var expected = description switch
        {
            "incorrect mac" => FernetError.BadSignature,
            "too short" => FernetError.BadLength,
            "invalid base64" => FernetError.NotBase64,
            "payload size not multiple of block size" => FernetError.BadLength,
            "payload padding error" => FernetError.BadPadding,
            "far-future TS (unacceptable clock skew)" => FernetError.FromTheFuture,
            "expired TTL" => FernetError.Expired,
            "incorrect IV (causes padding error)" => FernetError.BadPadding,
            _ => throw new InvalidOperationException($"A vector this test does not know: {description}"),
        };

        var error = Fernet.TryDecrypt([Key(v)], v.GetProperty("token").GetString(), Now(v), Ttl(v), out var plaintext);

        Assert.Equal(expected, error);
        Assert.Empty(plaintext);
    }

    [Fact]
    public void Every_vector_file_has_vectors()
    {
        Assert.NotEmpty(Load("generate.json"));
        Assert.NotEmpty(Load("verify.json"));
        Assert.Equal(8, Load("invalid.json").Count);
    }

    private static TheoryData<int> Indices(string file)
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Load(file).Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static List<JsonElement> Load(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Crypto", "Vectors", file);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static FernetKey Key(JsonElement v) =>
        FernetKey.TryParse(v.GetProperty("secret").GetString(), out var key) ? key : throw new InvalidOperationException("bad secret");

    private static DateTimeOffset Now(JsonElement v) =>
        DateTimeOffset.Parse(v.GetProperty("now").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    private static TimeSpan? Ttl(JsonElement v) =>
        v.TryGetProperty("ttl_sec", out var ttl) ? TimeSpan.FromSeconds(ttl.GetInt32()) : null;
}
