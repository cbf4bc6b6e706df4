using SocketHub.Protocol.Crypto;
using Xunit;

namespace SocketHub.Protocol.Tests.Crypto;

public sealed class CryptoReplyTests
{
    [Theory]
    [InlineData(CryptoOperation.Encrypt, "a # b", "#en#a # b#\n")]
    [InlineData(CryptoOperation.Decrypt, "tok==", "#de#tok==#\n")]
    [InlineData(CryptoOperation.GetKey, "", "#gk##\n")]
    public void Writes_requests_the_server_parses(CryptoOperation operation, string payload, string line)
    {
        Assert.Equal(line, CryptoReply.Request(operation, payload));
        Assert.Equal(new CryptoRequest(CryptoRequestStatus.Ok, operation, payload), CryptoRequest.Parse(line.TrimEnd('\n')));
    }

    [Fact]
    public void Refuses_a_payload_with_a_line_break()
    {
        Assert.Throws<ArgumentException>(() => CryptoReply.Request(CryptoOperation.Encrypt, "a\nb"));
    }

    [Theory]
    [InlineData("#en#tok#", "en", "tok", false)]
    [InlineData("#de#a # b#", "de", "a # b", false)]
    [InlineData("#er#invalid token#", "er", "invalid token", true)]
    [InlineData("#gk##", "gk", "", false)]
    public void Reads_replies(string line, string op, string payload, bool error)
    {
        Assert.True(CryptoReply.TryParse(line, out var reply));
        Assert.Equal((op, payload, error), (reply.Operation, reply.Payload, reply.IsError));
    }

    [Theory]
    [InlineData("")]
    [InlineData("#en#x")]
    [InlineData("en#x#")]
    [InlineData("#e#x#")]
    public void Refuses_what_is_not_a_reply(string line)
    {
        Assert.False(CryptoReply.TryParse(line, out _));
    }

    [Fact]
    public void Reads_the_servers_own_reply_bytes()
    {
        var line = System.Text.Encoding.UTF8.GetString(CryptoReplies.Error(CryptoReplies.InvalidToken)).TrimEnd('\n');

        Assert.True(CryptoReply.TryParse(line, out var reply));
        Assert.Equal(new CryptoReply("er", "invalid token"), reply);
    }
}
