using System.Net;
using System.Net.Sockets;

namespace SocketHub.Server.Hosting.Proxy;

/// <summary>
/// The addresses and networks (<c>Listen:TrustedProxies</c>) whose connections start with a PROXY
/// protocol header. IPv4-mapped IPv6 addresses count as the IPv4 address they carry, on both sides,
/// as the per-address limits count them.
/// </summary>
public sealed class TrustedProxies(IReadOnlyList<IPNetwork> networks)
{
    public static readonly TrustedProxies None = new([]);

    public IReadOnlyList<IPNetwork> Networks { get; } = networks;

    public bool Any => Networks.Count > 0;

    public bool Contains(IPAddress address)
    {
        var folded = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in Networks)
        {
            if (network.Contains(folded))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// One entry: an address (<c>10.0.0.11</c>, <c>fd00::5</c>) or a network in CIDR form
    /// (<c>10.0.0.0/24</c>); <paramref name="problem"/> says what is wrong with anything else.
    /// </summary>
    public static bool TryParseEntry(string entry, out IPNetwork network, out string? problem)
    {
        network = default;
        var slash = entry.IndexOf('/');
        var addressText = slash < 0 ? entry : entry[..slash];
        if (Address(addressText) is not { } address)
        {
            problem = $"'{entry}' is not an IP address or a network such as 10.0.0.11 or 10.0.0.0/24";
            return false;
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && !(int.TryParse(entry.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) && prefix <= bits))
        {
            problem = $"'{entry}' has a prefix length that is not a number from 0 to {bits}";
            return false;
        }

        var masked = Masked(address, prefix);
        if (!masked.Equals(address))
        {
            // Most likely a host written where its network was meant; say which network that is.
            problem = $"'{entry}' has bits set past its /{prefix} prefix: write the network as {masked}/{prefix}, or the single address without a prefix";
            return false;
        }

        network = new IPNetwork(address, prefix);
        problem = null;
        return true;
    }

    /// <summary>Strictly an address: IPv4 as four dotted numbers (the runtime also takes "10.1"), IPv6 without a zone; IPv4-mapped folded.</summary>
    private static IPAddress? Address(string text)
    {
        if (!IPAddress.TryParse(text, out var address) || text.Contains('%'))
        {
            return null;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3)
        {
            return null;
        }

        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }
}
