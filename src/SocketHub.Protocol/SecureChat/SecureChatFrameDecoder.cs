using System.Buffers;
using System.Buffers.Text;
using SocketHub.Protocol.Framing;

namespace SocketHub.Protocol.SecureChat;

/// <summary>
/// Splits one connection's byte stream into the secure chat's frames: a 64-byte header holding
/// the payload length (<see cref="SecureChatHeader"/>), then exactly that many bytes. The header
/// is checked byte by byte as it arrives, so a client speaking something else entirely (a
/// telnet user, an HTTP request) is refused at its first stray byte rather than after 64; a
/// length over the maximum is refused before any of its payload is read. The payload is copied
/// into a buffer of the decoder's own, which never grows past the maximum.
/// </summary>
public sealed class SecureChatFrameDecoder(int maxPayload = SecureChatFraming.DefaultMaxPayload) : IFrameDecoder
{
    // Python's int() accepts its digits between whitespace; the original pads with spaces.
    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\n\v\f\r"u8);
    private static readonly SearchValues<byte> Base64Bytes =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \t\n\v\f\r"u8);

    private readonly byte[] _header = new byte[SecureChatFraming.HeaderSize];
    private byte[] _payload = [];
    private int _headerLength;
    private int _length = -1;
    private int _received;
    private bool _frameReady;

    /// <summary>How the next frame's header is written; the dialect switches it after the key exchange.</summary>
    public SecureChatHeader Header { get; set; } = SecureChatHeader.Clear;

    public int MaxPayload { get; } = maxPayload;

    /// <summary>After <see cref="FrameStatus.Frame"/>: the payload. Valid until the next <see cref="Decode"/>.</summary>
    public ReadOnlyMemory<byte> Frame => _frameReady ? _payload.AsMemory(0, _length) : ReadOnlyMemory<byte>.Empty;

    /// <summary>After <see cref="FrameStatus.TooLong"/>: the length the header announced.</summary>
    public long AnnouncedLength { get; private set; }

    /// <summary>After <see cref="FrameStatus.Invalid"/>: why the header is no length, in words (no client bytes in it).</summary>
    public string? Problem { get; private set; }

    /// <summary>True when part of a frame (header or payload) has been received.</summary>
    public bool HasPending => !_frameReady && (_headerLength > 0 || _length >= 0);

    /// <summary>Takes bytes from <paramref name="input"/> until a frame is complete, the input runs out or the header is refused.</summary>
    public FrameStatus Decode(ref SequenceReader<byte> input)
    {
        if (_frameReady)
        {
            _frameReady = false;
            _headerLength = 0;
            _length = -1;
            _received = 0;
        }

        while (_length < 0)
        {
            if (input.End)
            {
                return FrameStatus.NeedMore;
            }

            var span = input.UnreadSpan;
            var take = Math.Min(span.Length, _header.Length - _headerLength);
            var chunk = span[..take];
            var stray = Header == SecureChatHeader.Clear ? StrayInDecimal(chunk) : chunk.IndexOfAnyExcept(Base64Bytes);

            if (stray >= 0)
            {
                input.Advance(stray + 1);
                Problem = $"header byte {_headerLength + stray} is 0x{chunk[stray]:x2}, not part of a {Describe(Header)} length";
                return FrameStatus.Invalid;
            }

            chunk.CopyTo(_header.AsSpan(_headerLength));
            _headerLength += take;
            input.Advance(take);
            if (_headerLength < _header.Length)
            {
                continue;
            }

            var status = ParseHeader();
            if (status != FrameStatus.Frame)
            {
                return status;
            }
        }

        var wanted = _length - _received;
        var copied = (int)Math.Min(wanted, input.Remaining);
        if (copied > 0)
        {
            input.TryCopyTo(_payload.AsSpan(_received, copied));
            input.Advance(copied);
            _received += copied;
        }

        if (_received < _length)
        {
            return FrameStatus.NeedMore;
        }

        _frameReady = true;
        return FrameStatus.Frame;
    }

    /// <summary>
    /// Where a decimal header's bytes so far stop being <c>whitespace* digits whitespace*</c>;
    /// -1 while they still fit. Looks back at the bytes already held to know which part it is in.
    /// </summary>
    private int StrayInDecimal(ReadOnlySpan<byte> chunk)
    {
        var held = _header.AsSpan(0, _headerLength);
        var seenDigit = held.IndexOfAnyInRange((byte)'0', (byte)'9') >= 0;
        var afterDigits = seenDigit && held.Length > 0 && Whitespace.Contains(held[^1]);
        for (var i = 0; i < chunk.Length; i++)
        {
            var b = chunk[i];
            if (b is >= (byte)'0' and <= (byte)'9')
            {
                if (afterDigits)
                {
                    return i;
                }

                seenDigit = true;
            }
            else if (Whitespace.Contains(b))
            {
                afterDigits = seenDigit;
            }
            else
            {
                return i;
            }
        }

        return -1;
    }

    private FrameStatus ParseHeader()
    {
        Span<byte> decoded = stackalloc byte[SecureChatFraming.HeaderSize];
        scoped ReadOnlySpan<byte> digits = _header;
        if (Header == SecureChatHeader.Base64)
        {
            var trimmed = _header.AsSpan().Trim(" \t\n\v\f\r"u8);
            if (Base64.DecodeFromUtf8(trimmed, decoded, out _, out var written) != OperationStatus.Done)
            {
                Problem = "the header is not base64";
                return FrameStatus.Invalid;
            }

            digits = decoded[..written];
        }

        digits = digits.Trim(" \t\n\v\f\r"u8);
        if (digits.IsEmpty || digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            Problem = $"the header holds no {Describe(Header)} length";
            return FrameStatus.Invalid;
        }

        long length = 0;
        foreach (var digit in digits)
        {
            length = Math.Min(length * 10 + (digit - '0'), (long)int.MaxValue + 1);
        }

        AnnouncedLength = length;
        if (length > MaxPayload)
        {
            return FrameStatus.TooLong;
        }

        _length = (int)length;
        if (_payload.Length < _length)
        {
            // Sized to the largest frame seen so far, never past the maximum.
            Array.Resize(ref _payload, _length);
        }

        return FrameStatus.Frame;
    }

    private static string Describe(SecureChatHeader header) => header == SecureChatHeader.Clear ? "decimal" : "base64";
}
