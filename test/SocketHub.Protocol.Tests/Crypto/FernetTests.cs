using System.Text;
using SocketHub.Protocol.Crypto;
using Xunit;

namespace SocketHub.Protocol.Tests.Crypto;

public sealed class FernetTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly FernetKey Key = FernetKey.Generate();

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("café naïve 日本語 😀👍🏽")]
    [InlineData("#en#a#b#")]
    [InlineData("exactly sixteen!")]
    public void Round_trip_gives_back_the_text(string text)
    {
        var token = Fernet.Encrypt(Key, Encoding.UTF8.GetBytes(text), Now);

        Assert.Equal(FernetError.None, Fernet.TryDecrypt([Key], token, Now, null, out var plaintext));
        Assert.Equal(text, Encoding.UTF8.GetString(plaintext));
    }

    [Fact]
    public void Round_trip_of_60_KiB()
    {
        var text = string.Concat(Enumerable.Repeat("0123456789abcdé", 60 * 1024 / 16));
        var bytes = Encoding.UTF8.GetBytes(text);
        Assert.True(bytes.Length >= 60 * 1024);

        var token = Fernet.Encrypt(Key, bytes, Now);

        Assert.Equal(FernetError.None, Fernet.TryDecrypt([Key], token, Now, null, out var plaintext));
        Assert.Equal(bytes, plaintext);
    }

    [Fact]
    public void Tokens_are_written_padded_and_read_with_or_without_padding()
    {
        // 5 bytes of text: 73 + 16 + 32 = 121... any length whose base64 needs padding will do.
        var token = Fernet.Encrypt(Key, "hello"u8, Now);
        Assert.EndsWith("=", token, StringComparison.Ordinal);
        Assert.Equal(0, token.Length % 4);

        Assert.Equal(FernetError.None, Fernet.TryDecrypt([Key], token.TrimEnd('='), Now, null, out var plaintext));
        Assert.Equal("hello"u8.ToArray(), plaintext);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a token")]
    [InlineData("gAAAAAB")]
    [InlineData("+/+/")]
    public void Garbage_is_refused(string token)
    {
        Assert.NotEqual(FernetError.None, Fernet.TryDecrypt([Key], token, Now, null, out _));
    }

    [Fact]
    public void Whitespace_inside_a_token_is_refused()
    {
        var token = Fernet.Encrypt(Key, "hello"u8, Now);

        Assert.Equal(FernetError.NotBase64, Fernet.TryDecrypt([Key], token[..10] + " " + token[10..], Now, null, out _));
        Assert.Equal(FernetError.NotBase64, Fernet.TryDecrypt([Key], token + "\t", Now, null, out _));
    }

    [Fact]
    public void Changing_any_byte_of_a_token_makes_it_invalid()
    {
        var token = Fernet.Encrypt(Key, "attack at dawn"u8, Now);
        var bytes = Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/'));

        for (var i = 0; i < bytes.Length; i++)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x01;
            var text = Convert.ToBase64String(tampered).Replace('+', '-').Replace('/', '_');

            Assert.NotEqual(FernetError.None, Fernet.TryDecrypt([Key], text, Now, null, out var plaintext));
            Assert.Empty(plaintext);
        }
    }

    [Fact]
    public void A_token_made_with_another_key_has_a_bad_signature()
    {
        var token = Fernet.Encrypt(FernetKey.Generate(), "hello"u8, Now);

        Assert.Equal(FernetError.BadSignature, Fernet.TryDecrypt([Key], token, Now, null, out _));
    }

    [Fact]
    public void Any_key_of_the_ring_decrypts()
    {
        var old = FernetKey.Generate();
        var token = Fernet.Encrypt(old, "from before"u8, Now);

        Assert.Equal(FernetError.None, Fernet.TryDecrypt([Key, old], token, Now, null, out var plaintext));
        Assert.Equal("from before"u8.ToArray(), plaintext);
    }

    [Fact]
    public void Up_to_60_seconds_in_the_future_is_accepted_and_61_is_not()
    {
        var token60 = Fernet.Encrypt(Key, "x"u8, Now.AddSeconds(60));
        var token61 = Fernet.Encrypt(Key, "x"u8, Now.AddSeconds(61));

        Assert.Equal(FernetError.None, Fernet.TryDecrypt([Key], token60, Now, null, out _));
        Assert.Equal(FernetError.FromTheFuture, Fernet.TryDecrypt([Key], token61, Now, null, out _));
    }

    [Fact]
    public void Time_to_live_refuses_older_tokens_and_no_ttl_accepts_any_age()
    {
        var token = Fernet.Encrypt(Key, "x"u8, Now);
        var ttl = TimeSpan.FromSeconds(100);

        Assert.Equal(FernetError.None, Fernet.TryDecrypt([Key], token, Now.AddSeconds(100), ttl, out _));
        Assert.Equal(FernetError.Expired, Fernet.TryDecrypt([Key], token, Now.AddSeconds(101), ttl, out _));
        Assert.Equal(FernetError.None, Fernet.TryDecrypt([Key], token, Now.AddYears(10), null, out _));
    }

    [Fact]
    public void A_key_reads_back_from_its_text_padded_or_not()
    {
        var text = Key.Encode();
        Assert.Equal(44, text.Length);
        Assert.EndsWith("=", text, StringComparison.Ordinal);

        Assert.True(FernetKey.TryParse(text, out var padded));
        Assert.True(FernetKey.TryParse(text.TrimEnd('='), out var unpadded));
        Assert.Equal(text, padded.Encode());
        Assert.Equal(text, unpadded.Encode());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=AAAA")]
    [InlineData("cw/0x689RpI+jtRR7oE8h/eQsKImvJapLeSbXpwF4e4=")]
    public void Not_a_key_is_refused(string? text)
    {
        Assert.False(FernetKey.TryParse(text, out _));
    }

    [Fact]
    public void A_key_never_shows_itself_in_ToString()
    {
        Assert.DoesNotContain(Key.Encode()[..8], Key.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key.Encode()[..8], $"{Key}", StringComparison.Ordinal);
    }
}
