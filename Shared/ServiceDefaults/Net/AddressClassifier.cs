using System.Net;
using System.Net.Sockets;

namespace SdServerless.ServiceDefaults.Net;

/// <summary>
/// Tells public unicast addresses from everything else: private, loopback, link-local (cloud metadata at
/// 169.254.169.254), carrier-grade NAT, documentation, benchmarking, multicast, reserved and unspecified ranges,
/// including IPv4 addresses embedded in IPv6 (mapped, IPv4-compatible <c>::a.b.c.d</c>, NAT64, 6to4).
/// </summary>
public static class AddressClassifier
{
    private static readonly (IPAddress Network, int Bits)[] NonPublicV4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8), (IPAddress.Parse("10.0.0.0"), 8), (IPAddress.Parse("100.64.0.0"), 10),
        (IPAddress.Parse("127.0.0.0"), 8), (IPAddress.Parse("169.254.0.0"), 16), (IPAddress.Parse("172.16.0.0"), 12),
        (IPAddress.Parse("192.0.0.0"), 24), (IPAddress.Parse("192.0.2.0"), 24), (IPAddress.Parse("192.88.99.0"), 24),
        (IPAddress.Parse("192.168.0.0"), 16), (IPAddress.Parse("198.18.0.0"), 15), (IPAddress.Parse("198.51.100.0"), 24),
        (IPAddress.Parse("203.0.113.0"), 24), (IPAddress.Parse("224.0.0.0"), 4), (IPAddress.Parse("240.0.0.0"), 4),
    ];

    private static readonly (IPAddress Network, int Bits)[] NonPublicV6 =
    [
        (IPAddress.Parse("::"), 128), (IPAddress.Parse("::1"), 128), (IPAddress.Parse("fc00::"), 7),
        (IPAddress.Parse("fe80::"), 10), (IPAddress.Parse("fec0::"), 10), (IPAddress.Parse("ff00::"), 8),
        (IPAddress.Parse("2001:db8::"), 32), (IPAddress.Parse("100::"), 64), (IPAddress.Parse("2001::"), 32),
    ];

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublic(address.MapToIPv4());
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !NonPublicV4.Any(range => InRange(address, range.Network, range.Bits));
        }
        var bytes = address.GetAddressBytes();
        // IPv4-compatible (::a.b.c.d, ::/96, deprecated but still routed by some stacks): its IPv4 part decides (:: and ::1 included).
        if (bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            return IsPublic(new IPAddress(bytes[12..16]));
        }
        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that decides.
        if (InRange(address, IPAddress.Parse("64:ff9b::"), 96))
        {
            return IsPublic(new IPAddress(bytes[12..16]));
        }
        if (bytes[0] == 0x20 && bytes[1] == 0x02)
        {
            return IsPublic(new IPAddress(bytes[2..6]));
        }
        return !NonPublicV6.Any(range => InRange(address, range.Network, range.Bits));
    }

    /// <summary>Loopback, IPv4 addresses embedded in IPv6 (mapped <c>::ffff:127.0.0.1</c>, compatible <c>::127.0.0.1</c>) judged as the IPv4 they carry.</summary>
    public static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address) || EmbeddedIPv4(address) is { } v4 && IPAddress.IsLoopback(v4);

    /// <summary>The IPv4 address of a mapped (<c>::ffff:a.b.c.d</c>) or compatible (<c>::a.b.c.d</c>, not <c>::</c> or <c>::1</c>) IPv6 address.</summary>
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback))
        {
            return null;
        }
        var bytes = address.GetAddressBytes();
        return bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 ? new IPAddress(bytes[12..16]) : null;
    }

    private static bool InRange(IPAddress address, IPAddress network, int bits)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }
        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        for (var i = 0; i < a.Length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
            if ((a[i] & mask) != (n[i] & mask))
            {
                return false;
            }
        }
        return true;
    }
}
