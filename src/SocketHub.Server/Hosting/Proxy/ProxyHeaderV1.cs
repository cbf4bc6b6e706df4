using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SocketHub.Server.Hosting.Proxy;

/// <summary>
/// The text PROXY protocol header, version 1 (HAProxy's <c>send-proxy</c>, and what a student can
/// type into <c>ncat</c>): <c>PROXY TCP4 src dst srcport dstport\r\n</c>, or <c>PROXY UNKNOWN...\r\n</c>,
/// at most 107 bytes with the CRLF. Anything not exactly in that form is refused, as the
/// specification asks: single spaces, no leading zeros, CRLF and nothing else to end the line.
/// </summary>
internal static class ProxyHeaderV1
{
    public static ReadOnlySpan<byte> Prefix => "PROXY "u8;

    /// <summary>The longest line, CRLF included: "PROXY UNKNOWN" with two full IPv6 addresses and ports.</summary>
    public const int MaxLength = 107;

    public static ProxyHeaderResult Parse(ReadOnlySpan<byte> bytes)
    {
        var prefix = Prefix;
        var known = Math.Min(bytes.Length, prefix.Length);
        if (!bytes[..known].SequenceEqual(prefix[..known]))
        {
            // "POST..." or "PING": a client's own bytes, most likely, rather than a bad header.
            return ProxyHeaderResult.Invalid(ProxyHeaderParser.NotAHeader);
        }

        // Find the CRLF within the first 107 bytes, refusing at once a byte that cannot be in the
        // line (so a stray binary client is dropped without waiting for 107 bytes).
        var window = bytes[..Math.Min(bytes.Length, MaxLength)];
        var end = -1;
        for (var i = 0; i < window.Length; i++)
        {
            var b = window[i];
            if (b == '\r')
            {
                if (i + 1 < window.Length && window[i + 1] != '\n')
                {
                    return ProxyHeaderResult.Invalid("PROXY v1 line with a CR not followed by LF");
                }

                if (i + 1 < window.Length)
                {
                    end = i;
                    break;
                }
            }
            else if (b == '\n')
            {
                return ProxyHeaderResult.Invalid("PROXY v1 line with a LF not preceded by CR");
            }
            else if (b is < 0x20 or > 0x7E)
            {
                return ProxyHeaderResult.Invalid("PROXY v1 line with a byte that is not printable ASCII");
            }
        }

        if (end < 0)
        {
            return bytes.Length >= MaxLength
                ? ProxyHeaderResult.Invalid($"PROXY v1 line without CRLF in its first {MaxLength} bytes")
                : ProxyHeaderResult.Incomplete;
        }

        var source = Fields(Encoding.ASCII.GetString(bytes[prefix.Length..end]), out var problem);
        return problem is null ? ProxyHeaderResult.Complete(end + 2, source) : ProxyHeaderResult.Invalid(problem);
    }

    /// <summary>The source endpoint the fields after "PROXY " give, or null for UNKNOWN; <paramref name="problem"/> when they are not valid.</summary>
    private static IPEndPoint? Fields(string line, out string? problem)
    {
        problem = null;
        var fields = line.Split(' ');
        if (fields[0] == "UNKNOWN")
        {
            // Whatever follows UNKNOWN is to be ignored: the proxy's own address is kept.
            return null;
        }

        var family = fields[0] switch
        {
            "TCP4" => AddressFamily.InterNetwork,
            "TCP6" => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unknown,
        };
        if (family == AddressFamily.Unknown)
        {
            problem = "PROXY v1 protocol neither TCP4, TCP6 nor UNKNOWN";
            return null;
        }

        if (fields.Length != 5)
        {
            problem = "PROXY v1 line without exactly two addresses and two ports, single-spaced";
            return null;
        }

        if (Address(fields[1], family) is not { } source || Address(fields[2], family) is null)
        {
            problem = family == AddressFamily.InterNetwork ? "PROXY v1 TCP4 address not a dotted IPv4 address" : "PROXY v1 TCP6 address not an IPv6 address";
            return null;
        }

        if (Port(fields[3]) is not { } port || Port(fields[4]) is null)
        {
            problem = "PROXY v1 port not a number from 0 to 65535 without leading zeros";
            return null;
        }

        return new IPEndPoint(source, port);
    }

    /// <summary>
    /// An address in exactly the family's form: four decimal bytes without leading zeros for IPv4
    /// (the runtime's parser would also take "10.1" or hexadecimal), IPv6 text without a zone.
    /// </summary>
    private static IPAddress? Address(string text, AddressFamily family)
    {
        if (family == AddressFamily.InterNetwork)
        {
            var parts = text.Split('.');
            return parts.Length == 4 && parts.All(p => Number(p, 255) is not null) && IPAddress.TryParse(text, out var v4) ? v4 : null;
        }

        return text.Contains(':') && text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.')
            && IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : null;
    }

    private static int? Port(string text) => Number(text, 65535);

    /// <summary>A decimal number up to <paramref name="maximum"/>, without sign or leading zeros.</summary>
    private static int? Number(string text, int maximum)
    {
        if (text.Length is 0 or > 5 || (text.Length > 1 && text[0] == '0') || !text.All(char.IsAsciiDigit))
        {
            return null;
        }

        var value = int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        return value <= maximum ? value : null;
    }
}
