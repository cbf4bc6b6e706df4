using System.Buffers.Binary;
using System.Net;

namespace SocketHub.Server.Hosting.Proxy;

/// <summary>
/// The binary PROXY protocol header, version 2: a 12-byte signature, version and command, family
/// and transport, the length of what follows, then the addresses and any TLVs (skipped: nothing
/// here needs them).
/// </summary>
internal static class ProxyHeaderV2
{
    /// <summary>\r\n\r\n\0\r\nQUIT\n: it cannot begin any text protocol, nor a TLS record.</summary>
    public static ReadOnlySpan<byte> Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private const int FixedLength = 16;
    private const int Local = 0x0;
    private const int Proxy = 0x1;
    private const int Inet = 0x1;
    private const int Inet6 = 0x2;
    private const int Unix = 0x3;
    private const int Stream = 0x1;
    private const int Datagram = 0x2;

    public static ProxyHeaderResult Parse(ReadOnlySpan<byte> bytes)
    {
        var signature = Signature;
        var known = Math.Min(bytes.Length, signature.Length);
        if (!bytes[..known].SequenceEqual(signature[..known]))
        {
            return ProxyHeaderResult.Invalid("bad PROXY v2 signature");
        }

        if (bytes.Length <= 12)
        {
            return ProxyHeaderResult.Incomplete;
        }

        var version = bytes[12] >> 4;
        var command = bytes[12] & 0x0F;
        if (version != 2)
        {
            return ProxyHeaderResult.Invalid("PROXY v2 header with a version other than 2");
        }

        if (command is not (Local or Proxy))
        {
            return ProxyHeaderResult.Invalid("PROXY v2 command neither LOCAL nor PROXY");
        }

        if (bytes.Length <= 13)
        {
            return ProxyHeaderResult.Incomplete;
        }

        // LOCAL ignores the family byte altogether (the specification: "discard the protocol
        // block including the family"); for PROXY an unassigned value must be refused.
        var family = bytes[13] >> 4;
        var transport = bytes[13] & 0x0F;
        if (command == Proxy && (family > Unix || transport > Datagram))
        {
            return ProxyHeaderResult.Invalid("PROXY v2 address family or transport unknown");
        }

        if (bytes.Length < FixedLength)
        {
            return ProxyHeaderResult.Incomplete;
        }

        var length = FixedLength + BinaryPrimitives.ReadUInt16BigEndian(bytes[14..16]);
        if (length > ProxyHeaderParser.MaxLength)
        {
            return ProxyHeaderResult.Invalid($"PROXY v2 header longer than {ProxyHeaderParser.MaxLength} bytes");
        }

        // Only TCP or UDP over IPv4 or IPv6 carries an address to use; UNSPEC and UNIX fall back
        // to the connection's own endpoints, as the specification allows.
        var addressLength = command == Proxy && transport is Stream or Datagram
            ? family switch { Inet => 4, Inet6 => 16, _ => 0 }
            : 0;
        if (addressLength > 0 && length < FixedLength + (2 * addressLength) + 4)
        {
            return ProxyHeaderResult.Invalid("PROXY v2 address block too short for its family");
        }

        if (bytes.Length < length)
        {
            return ProxyHeaderResult.Incomplete;
        }

        if (addressLength == 0)
        {
            return ProxyHeaderResult.Complete(length, null);
        }

        var addresses = bytes[FixedLength..];
        var source = new IPAddress(addresses[..addressLength]);
        var port = BinaryPrimitives.ReadUInt16BigEndian(addresses.Slice(2 * addressLength, 2));
        return ProxyHeaderResult.Complete(length, new IPEndPoint(source, port));
    }
}
