using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SocketHub.Server.Tests.Proxy;

/// <summary>PROXY protocol headers built by hand, byte by byte from the specification, as a proxy sends them.</summary>
internal static class ProxyHeaders
{
    public static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>A v2 PROXY header for a TCP connection from <paramref name="source"/> to <paramref name="destination"/>, then <paramref name="tlvs"/>.</summary>
    public static byte[] V2(IPEndPoint source, IPEndPoint destination, byte[]? tlvs = null)
    {
        var family = source.AddressFamily == AddressFamily.InterNetwork ? (byte)0x11 : (byte)0x21;
        var addresses = new List<byte>();
        addresses.AddRange(source.Address.GetAddressBytes());
        addresses.AddRange(destination.Address.GetAddressBytes());
        addresses.AddRange(Port(source.Port));
        addresses.AddRange(Port(destination.Port));
        addresses.AddRange(tlvs ?? []);
        return V2Raw(0x21, family, [.. addresses]);
    }

    /// <summary>A v2 header claiming <paramref name="client"/> (port 40000) on a connection to 10.0.0.11:8080.</summary>
    public static byte[] V2From(string client) =>
        V2(new IPEndPoint(IPAddress.Parse(client), 40000), new IPEndPoint(IPAddress.Parse(client).AddressFamily == AddressFamily.InterNetwork ? IPAddress.Parse("10.0.0.11") : IPAddress.Parse("fd00::11"), 8080));

    /// <summary>A v2 LOCAL header (a proxy's health check), with no address block.</summary>
    public static byte[] V2Local() => V2Raw(0x20, 0x00, []);

    /// <summary>Signature, then the version/command and family bytes given, the length, and <paramref name="rest"/>.</summary>
    public static byte[] V2Raw(byte versionCommand, byte family, byte[] rest) =>
        [.. Signature, versionCommand, family, .. Port(rest.Length), .. rest];

    public static byte[] V1(string line) => Encoding.ASCII.GetBytes(line);

    /// <summary>A TLV: type, 16-bit length, value.</summary>
    public static byte[] Tlv(byte type, byte[] value) => [type, .. Port(value.Length), .. value];

    private static byte[] Port(int value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, checked((ushort)value));
        return bytes;
    }
}
