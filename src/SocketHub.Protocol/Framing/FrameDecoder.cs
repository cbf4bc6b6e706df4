using System.Buffers;

namespace SocketHub.Protocol.Framing;

/// <summary>What one call to <see cref="FrameDecoder.Decode"/> found.</summary>
public enum FrameStatus
{
    /// <summary>All input was taken; the frame is not complete yet.</summary>
    NeedMore,

    /// <summary>A frame is complete: read it from <see cref="FrameDecoder.Frame"/>.</summary>
    Frame,

    /// <summary>The frame grew past its limit without a terminator. The connection should end.</summary>
    TooLong,

    /// <summary>The bytes cannot be a frame of this dialect at all (a length header that is no length). The connection should end.</summary>
    Invalid,
}

/// <summary>
/// Splits a byte stream into frames for one connection. It copies each frame's bytes into a
/// buffer of its own (growing up to the dialect's maximum), so the caller can release the
/// transport's buffer at once, a frame is always contiguous (a UTF-8 character split across
/// segments decodes correctly), and memory per connection is bounded whatever the client sends.
/// Telnet IAC sequences are removed on the way; their state survives across calls because a
/// sequence can straddle two packets. Removed bytes do not count towards the frame's length,
/// but a frame may not carry more than its byte cap of them either, so a flood of telnet
/// commands or an endless subnegotiation is "too long" like any other.
/// A dialect may also accept a frame that has no terminator yet
/// (<see cref="FrameOptions.CompleteWithoutTerminator"/>); that is decided only once a call's
/// input is used up, never at a segment boundary inside it.
/// </summary>
public sealed class FrameDecoder : IFrameDecoder
{
    private const byte Iac = 255, Se = 240, Sb = 250, Will = 251, Dont = 254;
    private const int InitialCapacity = 256;

    private static readonly SearchValues<byte> LineSpecials = SearchValues.Create([(byte)'\r', (byte)'\n', Iac]);
    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n"u8);

    private readonly FrameOptions _options;
    private readonly SearchValues<byte> _specials;
    private byte[] _buffer = [];
    private int _length;
    private int _units;
    private int _telnetBytes;
    private bool _frameReady;
    private bool _started;
    private bool _afterCarriageReturn;
    private bool _dropNextTerminator;
    private TelnetState _telnet;
    private byte _telnetCommand;

    private enum TelnetState : byte { Data, Command, Option, Subnegotiation, SubnegotiationCommand }

    public FrameDecoder(FrameOptions options)
    {
        _options = options;
        _specials = options.Terminator == FrameTerminator.LineEnd
            ? LineSpecials
            : SearchValues.Create([options.TerminatorByte, Iac]);
    }

    /// <summary>
    /// After <see cref="FrameStatus.Frame"/>: the frame, terminator removed. Otherwise: the bytes
    /// of the unfinished frame (a dialect that accepts a request cut short by end-of-stream reads
    /// them here). Valid until the next call to <see cref="Decode"/>.
    /// </summary>
    public ReadOnlyMemory<byte> Frame => _buffer.AsMemory(0, _length);

    /// <summary>True when bytes of an unfinished frame are held.</summary>
    public bool HasPending => !_frameReady && _length > 0;

    /// <summary>Takes bytes from <paramref name="input"/> until a frame ends or the input runs out.</summary>
    public FrameStatus Decode(ref SequenceReader<byte> input)
    {
        if (_frameReady)
        {
            _frameReady = false;
            _started = false;
            _length = 0;
            _units = 0;
            _telnetBytes = 0;
        }

        while (!input.End)
        {
            var span = input.UnreadSpan;
            var (taken, status) = Scan(span);
            input.Advance(taken);
            if (status != FrameStatus.NeedMore)
            {
                return status;
            }
        }

        if (_options.CompleteWithoutTerminator is { } complete
            && _length > 0
            && _telnet == TelnetState.Data
            && complete(_buffer.AsSpan(0, _length)))
        {
            _frameReady = true;
            _dropNextTerminator = true;
            return FrameStatus.Frame;
        }

        return FrameStatus.NeedMore;
    }

    /// <summary>Scans one contiguous span; returns how many bytes it took and what it found.</summary>
    private (int Taken, FrameStatus Status) Scan(ReadOnlySpan<byte> span)
    {
        var i = 0;
        while (i < span.Length)
        {
            if (_telnet != TelnetState.Data)
            {
                var (consumed, fits) = StepTelnet(span[i]);
                i += consumed;
                _telnetBytes += consumed;
                if (!fits || _telnetBytes > _options.MaxBytes)
                {
                    return (i, FrameStatus.TooLong);
                }

                continue;
            }

            var b = span[i];
            if (_afterCarriageReturn)
            {
                // Telnet ends a line with CR LF or CR NUL; the CR already ended the frame.
                _afterCarriageReturn = false;
                if (b is (byte)'\n' or 0)
                {
                    i++;
                    continue;
                }
            }

            if (!_started && _options.SkipLeadingWhitespace)
            {
                var text = span[i..].IndexOfAnyExcept(Whitespace);
                if (text < 0)
                {
                    return (span.Length, FrameStatus.NeedMore);
                }

                i += text;
                b = span[i];
            }

            if (b == Iac)
            {
                _telnet = TelnetState.Command;
                i++;
                if (++_telnetBytes > _options.MaxBytes)
                {
                    return (i, FrameStatus.TooLong);
                }

                continue;
            }

            if (IsTerminator(b))
            {
                _afterCarriageReturn = b == (byte)'\r' && _options.Terminator == FrameTerminator.LineEnd;
                if (_dropNextTerminator)
                {
                    // The line end of a frame already taken without it (CompleteWithoutTerminator).
                    _dropNextTerminator = false;
                    i++;
                    continue;
                }

                _frameReady = true;
                return (i + 1, FrameStatus.Frame);
            }

            // Plain data up to the next byte that needs a decision, copied in one block.
            // (The byte at i is not special, so the run holds at least one byte: progress is certain.)
            var run = span[i..];
            var stop = run.IndexOfAny(_specials);
            if (stop >= 0)
            {
                run = run[..Math.Max(stop, 1)];
            }

            if (!Append(run))
            {
                return (i + run.Length, FrameStatus.TooLong);
            }

            i += run.Length;
        }

        return (span.Length, FrameStatus.NeedMore);
    }

    private bool IsTerminator(byte b) => _options.Terminator == FrameTerminator.LineEnd
        ? b is (byte)'\r' or (byte)'\n'
        : b == _options.TerminatorByte;

    /// <summary>
    /// Advances the telnet state machine (RFC 854) by one byte. Returns the bytes consumed and
    /// whether the frame still fits its limit.
    /// </summary>
    private (int Consumed, bool Fits) StepTelnet(byte b)
    {
        if (IsTerminator(b))
        {
            // A telnet sequence never swallows a terminator: that is a stray 255 in the data,
            // not telnet. Keep IAC and its command byte (the dialect reports invalid UTF-8; a
            // subnegotiation's content is not kept) and let the terminator end the frame.
            var started = _telnet == TelnetState.Command ? [Iac] : (ReadOnlySpan<byte>)[Iac, _telnetCommand];
            _telnet = TelnetState.Data;
            return (0, Append(started));
        }

        switch (_telnet)
        {
            case TelnetState.Command when b == Iac:
                // IAC IAC is a literal 255: kept, so the dialect's UTF-8 check reports it.
                _telnet = TelnetState.Data;
                return (1, Append([Iac]));
            case TelnetState.Command when b is >= Will and <= Dont:
                _telnetCommand = b;
                _telnet = TelnetState.Option;
                return (1, true);
            case TelnetState.Command when b == Sb:
                _telnetCommand = b;
                _telnet = TelnetState.Subnegotiation;
                return (1, true);
            case TelnetState.Command when b >= Se:
                _telnet = TelnetState.Data;
                return (1, true);
            case TelnetState.Command:
                // Not a telnet command but a stray 255 in the data: keep it (the dialect reports
                // invalid UTF-8) and read the next byte again as ordinary data.
                _telnet = TelnetState.Data;
                return (0, Append([Iac]));
            case TelnetState.Option:
                _telnet = TelnetState.Data;
                return (1, true);
            case TelnetState.Subnegotiation:
                if (b == Iac)
                {
                    _telnet = TelnetState.SubnegotiationCommand;
                }

                return (1, true);
            default:
                // After IAC inside a subnegotiation: SE ends it, anything else continues it.
                _telnet = b == Se ? TelnetState.Data : TelnetState.Subnegotiation;
                return (1, true);
        }
    }

    /// <summary>Adds data to the frame; false once the frame is over its limit.</summary>
    private bool Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return true;
        }

        _started = true;
        _dropNextTerminator = false;
        if (_length + data.Length > _options.MaxBytes)
        {
            return false;
        }

        EnsureCapacity(_length + data.Length);
        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
        _units += _options.LengthUnit == FrameLengthUnit.Bytes ? data.Length : CountCharacters(data);

        var limit = _options.MaxLength;
        if (_options.LimitFor is { } limitFor)
        {
            limit = Math.Min(limit, limitFor(_buffer.AsSpan(0, _length)));
        }

        return _units <= limit;
    }

    private static int CountCharacters(ReadOnlySpan<byte> data)
    {
        var count = 0;
        foreach (var b in data)
        {
            if ((b & 0xC0) != 0x80)
            {
                count++;
            }
        }

        return count;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _buffer.Length)
        {
            return;
        }

        var size = Math.Max(InitialCapacity, _buffer.Length);
        while (size < needed)
        {
            size *= 2;
        }

        Array.Resize(ref _buffer, Math.Min(size, _options.MaxBytes));
    }
}
