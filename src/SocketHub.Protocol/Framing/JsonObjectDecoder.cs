using System.Buffers;

namespace SocketHub.Protocol.Framing;

/// <summary>
/// Splits a byte stream into JSON objects, with or without a line end after each (the COMP3331
/// messenger client sends <c>{"command": ...}</c> with none and waits for the answer). It does not
/// parse: it follows strings (and their escapes) and counts brackets, so an object ends at the
/// <c>}</c> that closes its first <c>{</c>; the caller parses that frame and answers a syntax
/// error there, with the stream still in step.
/// <list type="bullet">
/// <item>White space between objects (line ends included) is skipped.</item>
/// <item>Bytes that do not start an object (<c>hello</c> typed into netcat) are one frame up to the
/// next line end or <c>{</c>, or up to the end of what one read delivered, so a client that sent
/// garbage without a line end still gets its error at once. The caller finds it is no object.</item>
/// <item>A raw line end inside a string cannot be JSON (it must be escaped): the frame ends there,
/// so a line with a missing quote is answered instead of swallowing the lines after it.</item>
/// <item>A frame longer than <c>maxBytes</c> is <see cref="FrameStatus.TooLong"/>: memory per
/// connection stays bounded whatever a client sends.</item>
/// </list>
/// Telnet commands are not removed here: byte 255 is never valid UTF-8, so it makes the frame invalid.
/// </summary>
public sealed class JsonObjectDecoder(int maxBytes) : IFrameDecoder
{
    private const int InitialCapacity = 256;

    private enum State : byte { Between, Object, Garbage }

    private byte[] _buffer = [];
    private int _length;
    private bool _frameReady;
    private State _state;
    private int _depth;
    private bool _inString;
    private bool _escaped;

    public int MaxBytes { get; } = maxBytes;

    public ReadOnlyMemory<byte> Frame => _buffer.AsMemory(0, _length);

    public bool HasPending => !_frameReady && _length > 0;

    public FrameStatus Decode(ref SequenceReader<byte> input)
    {
        if (_frameReady)
        {
            _frameReady = false;
            _length = 0;
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

        if (_state == State.Garbage && _length > 0)
        {
            return Ready();
        }

        return FrameStatus.NeedMore;
    }

    private (int Taken, FrameStatus Status) Scan(ReadOnlySpan<byte> span)
    {
        for (var i = 0; i < span.Length; i++)
        {
            var b = span[i];
            switch (_state)
            {
                case State.Between:
                    if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                    {
                        continue;
                    }

                    if (b == (byte)'{')
                    {
                        _state = State.Object;
                        _depth = 1;
                        _inString = false;
                        _escaped = false;
                    }
                    else
                    {
                        _state = State.Garbage;
                    }

                    if (!Append(b))
                    {
                        return (i + 1, FrameStatus.TooLong);
                    }

                    continue;

                case State.Garbage:
                    if (b is (byte)'\r' or (byte)'\n')
                    {
                        return (i + 1, Ready());
                    }

                    if (b == (byte)'{')
                    {
                        // The next object starts here: leave the brace for the next frame.
                        return (i, Ready());
                    }

                    if (!Append(b))
                    {
                        return (i + 1, FrameStatus.TooLong);
                    }

                    continue;

                default:
                    if (_inString && b is (byte)'\r' or (byte)'\n')
                    {
                        // Not JSON (a string cannot hold a raw line end): answer what we have.
                        return (i + 1, Ready());
                    }

                    if (!Append(b))
                    {
                        return (i + 1, FrameStatus.TooLong);
                    }

                    if (_inString)
                    {
                        if (_escaped)
                        {
                            _escaped = false;
                        }
                        else if (b == (byte)'\\')
                        {
                            _escaped = true;
                        }
                        else if (b == (byte)'"')
                        {
                            _inString = false;
                        }
                    }
                    else if (b == (byte)'"')
                    {
                        _inString = true;
                    }
                    else if (b is (byte)'{' or (byte)'[')
                    {
                        _depth++;
                    }
                    else if (b is (byte)'}' or (byte)']' && --_depth == 0)
                    {
                        return (i + 1, Ready());
                    }

                    continue;
            }
        }

        return (span.Length, FrameStatus.NeedMore);
    }

    private FrameStatus Ready()
    {
        _state = State.Between;
        _frameReady = true;
        return FrameStatus.Frame;
    }

    private bool Append(byte b)
    {
        if (_length >= MaxBytes)
        {
            return false;
        }

        if (_length == _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(Math.Max(InitialCapacity, _buffer.Length * 2), MaxBytes));
        }

        _buffer[_length++] = b;
        return true;
    }
}
