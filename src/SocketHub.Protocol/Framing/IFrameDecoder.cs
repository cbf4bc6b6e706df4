using System.Buffers;

namespace SocketHub.Protocol.Framing;

/// <summary>Splits one connection's byte stream into frames (lines, <c>%</c>-ended commands, JSON objects, the secure chat's length headers).</summary>
public interface IFrameDecoder
{
    /// <summary>After <see cref="FrameStatus.Frame"/>: the frame. Otherwise: the bytes of the unfinished frame.</summary>
    ReadOnlyMemory<byte> Frame { get; }

    /// <summary>True when bytes of an unfinished frame are held.</summary>
    bool HasPending { get; }

    /// <summary>Takes bytes from <paramref name="input"/> until a frame ends, the input runs out or the bytes are refused.</summary>
    FrameStatus Decode(ref SequenceReader<byte> input);
}
