using System.Buffers;

namespace SocketHub.Server.Hosting.Proxy;

/// <summary>
/// Reads a PROXY protocol header (HAProxy's <c>doc/proxy-protocol.txt</c>), version 2 (binary)
/// or version 1 (text), from the first bytes of a connection. It never asks for a byte past the
/// header, so whatever follows stays for the dialect or the TLS handshake, and it fails as soon as
/// a byte cannot start a valid header instead of waiting for more.
/// </summary>
public static class ProxyHeaderParser
{
    /// <summary>
    /// The longest header accepted, in either version. The specification designs both formats to
    /// fit in the smallest TCP segment every host must accept (576 - 40 = 536 bytes) and requires
    /// the sender to send the header at once; a v2 header may announce up to 16 + 65535 bytes, but
    /// one longer than 536 is not something a conforming proxy sends, and the bound keeps a
    /// trusted but broken peer from making the server buffer 64 KiB before the dialect starts.
    /// The address block alone is at most 216 bytes (AF_UNIX), which leaves 304 for TLVs.
    /// </summary>
    public const int MaxLength = 536;

    /// <summary>The connection starts with something else: the proxy is likely not set to send one (HAProxy's send-proxy-v2).</summary>
    public const string NotAHeader = "none at the start (send-proxy not set?)";

    /// <summary>Parses the start of <paramref name="buffer"/>; see <see cref="Parse(ReadOnlySpan{byte})"/>.</summary>
    public static ProxyHeaderResult Parse(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsSingleSegment)
        {
            return Parse(buffer.FirstSpan);
        }

        // A header is at most MaxLength bytes, so a copy of that much is all the parse can need.
        Span<byte> head = stackalloc byte[MaxLength];
        var count = (int)Math.Min(buffer.Length, MaxLength);
        buffer.Slice(0, count).CopyTo(head);
        return Parse(head[..count]);
    }

    /// <summary>
    /// Parses <paramref name="bytes"/>, everything received so far: <see cref="ProxyHeaderStatus.Incomplete"/>
    /// while they are a valid beginning, the header's length and source once complete.
    /// </summary>
    public static ProxyHeaderResult Parse(ReadOnlySpan<byte> bytes) =>
        bytes.IsEmpty ? ProxyHeaderResult.Incomplete
        : bytes[0] == ProxyHeaderV2.Signature[0] ? ProxyHeaderV2.Parse(bytes)
        : bytes[0] == ProxyHeaderV1.Prefix[0] ? ProxyHeaderV1.Parse(bytes)
        : ProxyHeaderResult.Invalid(NotAHeader);
}
