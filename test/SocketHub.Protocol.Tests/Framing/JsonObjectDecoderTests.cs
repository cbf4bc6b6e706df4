using System.Buffers;
using System.Text;
using SocketHub.Protocol.Framing;
using Xunit;

namespace SocketHub.Protocol.Tests.Framing;

public sealed class JsonObjectDecoderTests
{
    /// <summary>Feeds the chunks one Decode call each and collects every frame (and whether the last was too long).</summary>
    private static (List<string> Frames, bool TooLong, string Pending) Feed(int max, params string[] chunks)
    {
        var decoder = new JsonObjectDecoder(max);
        List<string> frames = [];
        foreach (var chunk in chunks)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(chunk)));
            while (true)
            {
                var status = decoder.Decode(ref reader);
                if (status == FrameStatus.TooLong)
                {
                    return (frames, true, string.Empty);
                }

                if (status == FrameStatus.NeedMore)
                {
                    break;
                }

                frames.Add(Encoding.UTF8.GetString(decoder.Frame.Span));
            }
        }

        return (frames, false, decoder.HasPending ? Encoding.UTF8.GetString(decoder.Frame.Span) : string.Empty);
    }

    [Fact]
    public void An_object_needs_no_line_end_and_white_space_between_objects_is_skipped()
    {
        Assert.Equal(["""{"command": "x", "data": []}"""], Feed(4096, """{"command": "x", "data": []}""").Frames);
        Assert.Equal(["{\"a\": 1}", "{\"b\": [2, {\"c\": 3}]}"], Feed(4096, " \r\n{\"a\": 1}\n\t{\"b\": [2, {\"c\": 3}]}\r\n").Frames);
    }

    [Fact]
    public void An_object_cut_at_any_byte_is_found_whole()
    {
        const string request = """{"command": "broadcast", "data": ["a {\"b\"} ] \\", "}{"]}""";
        for (var cut = 1; cut < request.Length; cut++)
        {
            var (frames, tooLong, _) = Feed(4096, request[..cut], request[cut..] + "{\"next\": 1}");
            Assert.False(tooLong);
            Assert.Equal([request, "{\"next\": 1}"], frames);
        }
    }

    [Fact]
    public void Garbage_is_a_frame_up_to_a_line_end_a_brace_or_the_end_of_the_read()
    {
        Assert.Equal(["not json", "{\"a\": 1}"], Feed(4096, "not json\n{\"a\": 1}").Frames);
        Assert.Equal(["oops", "{\"a\": 1}"], Feed(4096, "oops{\"a\": 1}").Frames);
        Assert.Equal(["no line end"], Feed(4096, "no line end").Frames);
        Assert.Equal(["[1, 2]"], Feed(4096, "[1, 2]\n").Frames);
    }

    [Fact]
    public void A_raw_line_end_inside_a_string_ends_the_broken_frame()
    {
        Assert.Equal(["{\"command\": \"who", "else\"}", "{\"a\": 1}"], Feed(4096, "{\"command\": \"who\nelse\"}\n{\"a\": 1}").Frames);
    }

    [Fact]
    public void An_unfinished_object_waits_and_is_pending()
    {
        var (frames, tooLong, pending) = Feed(4096, "{\"command\": \"whoelse\"");
        Assert.Empty(frames);
        Assert.False(tooLong);
        Assert.Equal("{\"command\": \"whoelse\"", pending);
    }

    [Fact]
    public void A_frame_over_the_bound_is_too_long()
    {
        Assert.True(Feed(16, "{\"a\": \"0123456789\"}").TooLong);
        Assert.Equal(["{\"a\": \"0123456\"}"], Feed(16, "{\"a\": \"0123456\"}").Frames);
        Assert.True(Feed(16, new string('x', 17)).TooLong);
        Assert.True(Feed(16, "{\"a\": ", "\"", new string('x', 20)).TooLong);
    }
}
