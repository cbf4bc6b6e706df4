using System.Net;
using System.Text;
using SocketHub.Server.Hosting.Proxy;
using Xunit;
using static SocketHub.Server.Tests.Proxy.ProxyHeaders;

namespace SocketHub.Server.Tests.Proxy;

/// <summary>
/// The PROXY protocol parser byte by byte: every valid header is incomplete at each shorter prefix,
/// complete at its last byte whatever follows it, and the same however the bytes are cut into
/// segments; every malformed one is refused, as early as the bad byte allows.
/// </summary>
public sealed class ProxyHeaderParserTests
{
    private static readonly byte[] Dialect = "GET%"u8.ToArray();

    public static TheoryData<string, byte[], string?> ValidHeaders => new()
    {
        { "v2 TCP over IPv4", V2(Endpoint("203.0.113.7", 51234), Endpoint("10.0.0.11", 8080)), "203.0.113.7:51234" },
        { "v2 TCP over IPv6", V2(Endpoint("2001:db8::7", 443), Endpoint("fd00::11", 8080)), "[2001:db8::7]:443" },
        { "v2 UDP over IPv4", V2Raw(0x21, 0x12, [203, 0, 113, 7, 10, 0, 0, 11, 0x1F, 0x90, 0x00, 0x35]), "203.0.113.7:8080" },
        { "v2 port 0 and 65535", V2(Endpoint("198.51.100.1", 0), Endpoint("10.0.0.11", 65535)), "198.51.100.1:0" },
        { "v2 with TLVs after the addresses", V2(Endpoint("203.0.113.7", 1), Endpoint("10.0.0.11", 2), [.. Tlv(0x02, "board.example.edu"u8.ToArray()), .. Tlv(0x04, new byte[3]), .. Tlv(0x05, [])]), "203.0.113.7:1" },
        { "v2 LOCAL (a health check)", V2Local(), null },
        { "v2 LOCAL with an address block, ignored", V2Raw(0x20, 0x11, [203, 0, 113, 7, 10, 0, 0, 11, 0, 1, 0, 2]), null },
        { "v2 LOCAL with an unassigned family, ignored", V2Raw(0x20, 0xFF, []), null },
        { "v2 PROXY AF_UNSPEC", V2Raw(0x21, 0x00, []), null },
        { "v2 PROXY AF_UNSPEC with bytes to skip", V2Raw(0x21, 0x00, [1, 2, 3, 4]), null },
        { "v2 PROXY AF_INET with UNSPEC transport", V2Raw(0x21, 0x10, [203, 0, 113, 7, 10, 0, 0, 11, 0, 1, 0, 2]), null },
        { "v2 PROXY AF_UNIX stream", V2Raw(0x21, 0x31, new byte[216]), null },
        { "v2 of the greatest length", V2Raw(0x21, 0x11, [203, 0, 113, 7, 10, 0, 0, 11, 0, 1, 0, 2, .. Tlv(0x04, new byte[536 - 16 - 12 - 3])]), "203.0.113.7:1" },
        { "v1 TCP4", V1("PROXY TCP4 203.0.113.7 10.0.0.11 51234 8080\r\n"), "203.0.113.7:51234" },
        { "v1 TCP6", V1("PROXY TCP6 2001:db8::7 fd00::11 443 8080\r\n"), "[2001:db8::7]:443" },
        { "v1 TCP6 with an embedded IPv4", V1("PROXY TCP6 ::ffff:203.0.113.7 ::ffff:10.0.0.11 1 2\r\n"), "[::ffff:203.0.113.7]:1" },
        { "v1 ports 0 and 65535", V1("PROXY TCP4 0.0.0.0 255.255.255.255 0 65535\r\n"), "0.0.0.0:0" },
        { "v1 UNKNOWN", V1("PROXY UNKNOWN\r\n"), null },
        { "v1 UNKNOWN with addresses, ignored", V1("PROXY UNKNOWN 203.0.113.7 10.0.0.11 1 2\r\n"), null },
        { "v1 of the greatest length", V1($"PROXY UNKNOWN {Full6} {Full6} 65535 65535\r\n"), null },
        { "v1 TCP6 of the greatest length", V1($"PROXY TCP6 {Full6} {Full6} 65535 65535\r\n"), $"[{Full6}]:65535" },
    };

    public static TheoryData<string, byte[]> InvalidHeaders => new()
    {
        { "a dialect's first byte", "GET%"u8.ToArray() },
        { "a TLS ClientHello", [0x16, 0x03, 0x01, 0x00, 0xC8] },
        { "a v2 signature wrong in its first byte", [0x0D, 0x0D] },
        { "a v2 signature wrong in its fifth byte", [0x0D, 0x0A, 0x0D, 0x0A, 0x01] },
        { "a v2 signature wrong in its last byte", [.. Signature[..11], 0x0D] },
        { "an HTTP request after a CRLF", "\r\n\r\nGET / HTTP/1.1"u8.ToArray() },
        { "v2 version 1", [.. Signature, 0x11] },
        { "v2 version 3", [.. Signature, 0x31] },
        { "v2 version 0", [.. Signature, 0x01] },
        { "v2 command 2", [.. Signature, 0x22] },
        { "v2 command 15", [.. Signature, 0x2F] },
        { "v2 PROXY family 4", [.. Signature, 0x21, 0x41] },
        { "v2 PROXY transport 3", [.. Signature, 0x21, 0x13] },
        { "v2 longer than 536 bytes", [.. Signature, 0x21, 0x11, 0x02, 0x09] },
        { "v2 of the greatest 16-bit length", [.. Signature, 0x21, 0x11, 0xFF, 0xFF] },
        { "v2 IPv4 address block too short", V2Raw(0x21, 0x11, new byte[11]) },
        { "v2 IPv6 address block too short", V2Raw(0x21, 0x21, new byte[35]) },
        { "v2 IPv6 block the size of an IPv4 one", V2Raw(0x21, 0x21, new byte[12]) },
        { "v1 prefix misspelt", V1("PROXI TCP4 ") },
        { "v1 in lower case", V1("proxy TCP4 ") },
        { "v1 without its space", V1("PROXY\r\n") },
        { "v1 two spaces after PROXY", V1("PROXY  TCP4 203.0.113.7 10.0.0.11 1 2\r\n") },
        { "v1 unknown protocol", V1("PROXY UDP4 203.0.113.7 10.0.0.11 1 2\r\n") },
        { "v1 protocol in lower case", V1("PROXY tcp4 203.0.113.7 10.0.0.11 1 2\r\n") },
        { "v1 nothing after PROXY", V1("PROXY \r\n") },
        { "v1 UNKNOWN run on", V1("PROXY UNKNOWNX\r\n") },
        { "v1 ended by LF alone", V1("PROXY TCP4 203.0.113.7 10.0.0.11 1 2\n") },
        { "v1 ended by CR alone", V1("PROXY TCP4 203.0.113.7 10.0.0.11 1 2\rGET%") },
        { "v1 without CRLF in 107 bytes", V1("PROXY UNKNOWN " + new string('a', 93)) },
        { "v1 of 108 bytes with its CRLF", V1($"PROXY UNKNOWN {Full6} {Full6} 65535 655350\r\n") },
        { "v1 with a NUL byte", [.. V1("PROXY TCP4 "), 0x00] },
        { "v1 with a tab", V1("PROXY TCP4\t203.0.113.7") },
        { "v1 with a byte over 0x7E", [.. V1("PROXY TCP4 203.0.113."), 0xC3, 0xA9] },
        { "v1 TCP4 missing the ports", V1("PROXY TCP4 203.0.113.7 10.0.0.11\r\n") },
        { "v1 TCP4 one field too many", V1("PROXY TCP4 203.0.113.7 10.0.0.11 1 2 3\r\n") },
        { "v1 TCP4 double space", V1("PROXY TCP4 203.0.113.7  10.0.0.11 1 2\r\n") },
        { "v1 TCP4 trailing space", V1("PROXY TCP4 203.0.113.7 10.0.0.11 1 2 \r\n") },
        { "v1 TCP4 with an IPv6 source", V1("PROXY TCP4 2001:db8::7 10.0.0.11 1 2\r\n") },
        { "v1 TCP6 with an IPv4 source", V1("PROXY TCP6 203.0.113.7 fd00::11 1 2\r\n") },
        { "v1 TCP4 short address", V1("PROXY TCP4 203.0.113 10.0.0.11 1 2\r\n") },
        { "v1 TCP4 octet over 255", V1("PROXY TCP4 203.0.113.256 10.0.0.11 1 2\r\n") },
        { "v1 TCP4 octet with a leading zero", V1("PROXY TCP4 203.0.113.07 10.0.0.11 1 2\r\n") },
        { "v1 TCP4 bad destination", V1("PROXY TCP4 203.0.113.7 10.0.0 1 2\r\n") },
        { "v1 TCP4 hexadecimal octet", V1("PROXY TCP4 0x7f.0.0.1 10.0.0.11 1 2\r\n") },
        { "v1 TCP6 with a zone", V1("PROXY TCP6 fe80::1%eth0 fd00::11 1 2\r\n") },
        { "v1 TCP6 not an address", V1("PROXY TCP6 2001:db8:::7 fd00::11 1 2\r\n") },
        { "v1 source port 65536", V1("PROXY TCP4 203.0.113.7 10.0.0.11 65536 2\r\n") },
        { "v1 destination port 99999", V1("PROXY TCP4 203.0.113.7 10.0.0.11 1 99999\r\n") },
        { "v1 port with a leading zero", V1("PROXY TCP4 203.0.113.7 10.0.0.11 080 2\r\n") },
        { "v1 negative port", V1("PROXY TCP4 203.0.113.7 10.0.0.11 -1 2\r\n") },
        { "v1 port with a sign", V1("PROXY TCP4 203.0.113.7 10.0.0.11 +1 2\r\n") },
        { "v1 port of six digits", V1("PROXY TCP4 203.0.113.7 10.0.0.11 000001 2\r\n") },
        { "v1 empty port", V1("PROXY TCP4 203.0.113.7 10.0.0.11  2\r\n") },
    };

    private static string Full6 => string.Join(':', Enumerable.Repeat("ffff", 8));

    [Theory]
    [MemberData(nameof(ValidHeaders))]
    public void A_valid_header_is_incomplete_at_every_shorter_prefix_and_complete_at_its_last_byte(string name, byte[] header, string? source)
    {
        for (var length = 0; length < header.Length; length++)
        {
            var partial = ProxyHeaderParser.Parse(header.AsSpan(0, length));
            Assert.True(partial.Status == ProxyHeaderStatus.Incomplete, $"{name}: {length} of {header.Length} bytes gave {partial.Status} ({partial.Problem})");
        }

        var whole = ProxyHeaderParser.Parse(header);
        Assert.Equal(ProxyHeaderStatus.Complete, whole.Status);
        Assert.Equal(header.Length, whole.Length);
        Assert.Equal(source, whole.Source?.ToString());
    }

    [Theory]
    [MemberData(nameof(ValidHeaders))]
    public void The_bytes_after_a_header_are_not_part_of_it(string name, byte[] header, string? source)
    {
        _ = name;
        foreach (var after in new[] { Dialect, "\r\n"u8.ToArray(), Signature, [0x16, 0x03, 0x01], new byte[1000] })
        {
            var result = ProxyHeaderParser.Parse([.. header, .. after]);
            Assert.Equal(ProxyHeaderStatus.Complete, result.Status);
            Assert.Equal(header.Length, result.Length);
            Assert.Equal(source, result.Source?.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(ValidHeaders))]
    public void A_header_cut_into_segments_anywhere_parses_the_same(string name, byte[] header, string? source)
    {
        _ = name;
        byte[] bytes = [.. header, .. Dialect];
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var result = ProxyHeaderParser.Parse(Segments.Split(bytes, cut / 2, cut));
            Assert.Equal(ProxyHeaderStatus.Complete, result.Status);
            Assert.Equal(header.Length, result.Length);
            Assert.Equal(source, result.Source?.ToString());
        }

        var oneByteEach = Segments.Split(bytes, [.. Enumerable.Range(1, bytes.Length - 1)]);
        Assert.Equal(header.Length, ProxyHeaderParser.Parse(oneByteEach).Length);
    }

    [Theory]
    [MemberData(nameof(InvalidHeaders))]
    public void A_malformed_header_is_refused_with_a_reason(string name, byte[] bytes)
    {
        var result = ProxyHeaderParser.Parse(bytes);
        Assert.True(result.Status == ProxyHeaderStatus.Invalid, $"{name}: {result.Status}");
        Assert.False(string.IsNullOrEmpty(result.Problem));
        Assert.Null(result.Source);

        // Whatever comes after, and however it is cut, cannot make it valid.
        Assert.Equal(ProxyHeaderStatus.Invalid, ProxyHeaderParser.Parse([.. bytes, .. "\r\n"u8, .. new byte[600]]).Status);
        Assert.Equal(ProxyHeaderStatus.Invalid, ProxyHeaderParser.Parse(Segments.Split([.. bytes, .. "\r\n"u8], 1, bytes.Length / 2)).Status);
    }

    [Theory]
    [MemberData(nameof(InvalidHeaders))]
    public void A_malformed_header_is_never_complete_at_any_prefix(string name, byte[] bytes)
    {
        for (var length = 0; length <= bytes.Length; length++)
        {
            Assert.True(ProxyHeaderParser.Parse(bytes.AsSpan(0, length)).Status != ProxyHeaderStatus.Complete, $"{name} at {length} bytes");
        }
    }

    [Fact]
    public void A_truncated_v2_header_waits_for_its_announced_length()
    {
        var header = V2(Endpoint("203.0.113.7", 1), Endpoint("10.0.0.11", 2), Tlv(0x04, new byte[10]));
        var truncated = header[..^1];
        Assert.Equal(ProxyHeaderStatus.Incomplete, ProxyHeaderParser.Parse(truncated).Status);
    }

    [Fact]
    public void A_v2_signature_is_refused_at_its_first_wrong_byte()
    {
        for (var i = 0; i < Signature.Length; i++)
        {
            var bytes = Signature[..(i + 1)];
            bytes[i] ^= 0x40;
            Assert.Equal(ProxyHeaderStatus.Invalid, ProxyHeaderParser.Parse(bytes).Status);
        }
    }

    [Fact]
    public void The_longest_v1_line_fits_the_limit_and_one_byte_more_does_not()
    {
        var longest = V1($"PROXY UNKNOWN {Full6} {Full6} 65535 65535\r\n");
        Assert.Equal(107, longest.Length);
        Assert.Equal(ProxyHeaderStatus.Complete, ProxyHeaderParser.Parse(longest).Status);

        var unterminated = longest[..^2].Concat("5\r"u8.ToArray()).ToArray();
        Assert.Equal(107, unterminated.Length);
        Assert.Equal(ProxyHeaderStatus.Invalid, ProxyHeaderParser.Parse(unterminated).Status);
        Assert.Equal(ProxyHeaderStatus.Incomplete, ProxyHeaderParser.Parse(unterminated.AsSpan(0, 106)).Status);
    }

    [Fact]
    public void The_reason_names_the_version_and_never_echoes_the_bytes()
    {
        var v1 = ProxyHeaderParser.Parse(V1("PROXY TCP4 203.0.113.7 10.0.0.11 1 70000\r\n"));
        Assert.Contains("v1", v1.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("70000", v1.Problem, StringComparison.Ordinal);

        var v2 = ProxyHeaderParser.Parse([.. Signature, 0x11]);
        Assert.Contains("v2", v2.Problem, StringComparison.Ordinal);
        Assert.Equal(ProxyHeaderParser.NotAHeader, ProxyHeaderParser.Parse(Encoding.ASCII.GetBytes("POSThello%")).Problem);
    }

    private static IPEndPoint Endpoint(string address, int port) => new(IPAddress.Parse(address), port);
}
