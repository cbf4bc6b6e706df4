using System.Buffers;
using System.Text;
using SocketHub.Protocol.Chat;
using SocketHub.Protocol.Framing;
using SocketHub.Protocol.Tests.Framing;
using Xunit;
using static SocketHub.Protocol.Tests.Framing.FrameBytes;

namespace SocketHub.Protocol.Tests.Chat;

/// <summary>What a client reads from the chat ports: the text port's lines, the JSON port's objects.</summary>
public sealed class ChatReplyFramingTests
{
    [Fact]
    public void A_broadcast_of_the_longest_json_request_text_is_one_text_port_line()
    {
        // A JSON request's text can be nearly as long as the request: far over a text-port request line.
        var text = new string('x', ChatJsonRequest.MaxRequestBytes);
        var line = ChatTextFormat.Format(ChatEvent.Broadcast(new string('u', 32), text));

        var reply = Decoding.FeedPieces(ChatFraming.Replies, Bytes(line), 1024);
        var asRequest = Decoding.FeedPieces(ChatFraming.Requests, Bytes(line));

        Assert.Equal(line[..^1], Encoding.UTF8.GetString(Assert.Single(reply.Frames)));
        Assert.Equal(FrameStatus.TooLong, asRequest.Final);
    }

    [Fact]
    public void A_text_port_line_over_the_limit_is_too_long() =>
        Assert.Equal(FrameStatus.TooLong, Decoding.FeedPieces(ChatFraming.Replies, Bytes(new string('x', ChatFraming.MaxReplyLineBytes + 1))).Final);

    [Fact]
    public void Every_object_of_a_long_broadcast_fits_the_json_reply_limit()
    {
        var broadcast = ChatEvent.Broadcast(new string('u', 32), new string('é', 3000));
        var bytes = new ArrayBufferWriter<byte>();
        ChatJsonFormat.Write(broadcast, bytes);

        var decoder = new JsonObjectDecoder(ChatFraming.MaxJsonReplyBytes);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes.WrittenMemory));
        var objects = 0;
        FrameStatus status;
        while ((status = decoder.Decode(ref reader)) == FrameStatus.Frame)
        {
            Assert.InRange(decoder.Frame.Length, 1, ChatJsonFormat.MaxObjectBytes);
            objects++;
        }

        Assert.Equal(FrameStatus.NeedMore, status);
        Assert.True(objects > 1);
    }
}
