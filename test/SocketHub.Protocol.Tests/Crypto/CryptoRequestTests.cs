using System.Text;
using SocketHub.Protocol.Crypto;
using Xunit;

namespace SocketHub.Protocol.Tests.Crypto;

public sealed class CryptoRequestTests
{
    [Theory]
    [InlineData("#en#hello#", CryptoOperation.Encrypt, "hello")]
    [InlineData("#en##", CryptoOperation.Encrypt, "")]
    [InlineData("#en#a#b#c#", CryptoOperation.Encrypt, "a#b#c")]
    [InlineData("#en####", CryptoOperation.Encrypt, "##")]
    [InlineData("#en# spaced #", CryptoOperation.Encrypt, " spaced ")]
    [InlineData("#de#gAAAA==#", CryptoOperation.Decrypt, "gAAAA==")]
    [InlineData("#de##", CryptoOperation.Decrypt, "")]
    [InlineData("#gk##", CryptoOperation.GetKey, "")]
    public void Parses_requests_with_the_payload_up_to_the_last_hash(string text, CryptoOperation operation, string payload)
    {
        Assert.Equal(new CryptoRequest(CryptoRequestStatus.Ok, operation, payload), CryptoRequest.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("#")]
    [InlineData("#en#")]
    [InlineData("#gk#")]
    [InlineData("en#hello#")]
    [InlineData("#en#hello")]
    [InlineData("#en#hello# ")]
    [InlineData(" #en#hello#")]
    [InlineData("#enhello#")]
    [InlineData("#e#hello#")]
    [InlineData("#gk#key#")]
    public void Other_shapes_are_malformed(string text)
    {
        Assert.Equal(CryptoRequestStatus.Malformed, CryptoRequest.Parse(text).Status);
    }

    [Theory]
    [InlineData("#xx#hello#")]
    [InlineData("#EN#hello#")]
    [InlineData("#er#x#")]
    [InlineData("#ab##")]
    [InlineData("#éé#x#")]
    public void Unknown_operations_are_told_apart_from_malformed_requests(string text)
    {
        Assert.Equal(CryptoRequestStatus.UnknownOperation, CryptoRequest.Parse(text).Status);
    }

    [Theory]
    [InlineData("#gk##", true)]
    [InlineData("#en#a#b#", true)]
    [InlineData("#xx##", true)]
    [InlineData("#en#", false)]
    [InlineData("#en#abc", false)]
    [InlineData("en#abc#", false)]
    [InlineData("#enabc#", false)]
    [InlineData("", false)]
    public void A_whole_request_is_recognised_by_its_shape(string text, bool complete)
    {
        Assert.Equal(complete, CryptoRequest.IsComplete(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Replies_are_hash_framed_lines()
    {
        Assert.Equal("#en#tok==#\n"u8.ToArray(), CryptoReplies.Encrypted("tok=="));
        Assert.Equal("#de#héllo#\n"u8.ToArray(), CryptoReplies.Decrypted("héllo"));
        Assert.Equal("#gk#key=#\n"u8.ToArray(), CryptoReplies.Key("key="));
        Assert.Equal("#er#invalid token#\n"u8.ToArray(), CryptoReplies.Error(CryptoReplies.InvalidToken));
        Assert.Equal("#er#Too many#\n", CryptoReplies.ErrorLine("Too many"));
    }
}
