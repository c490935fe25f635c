using System.Net;
using System.Net.Sockets;

namespace SdServerless.ServiceDefaults.Net;

/// <summary>
/// Which addresses our services may call on a client's behalf (init-image URLs, webhooks): public unicast only.
/// Loopback, private, link-local (169.254.169.254, the instance metadata service), carrier-grade NAT, multicast,
/// documentation and other reserved ranges are refused; loopback only when local dev mode allows it.
/// </summary>
public sealed class OutboundAddressPolicy(bool allowLoopback)
{
    public static OutboundAddressPolicy PublicOnly { get; } = new(allowLoopback: false);

    public bool AllowLoopback { get; } = allowLoopback;

    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address))
        {
            return AllowLoopback;
        }
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsPublicV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsPublicV6(address),
            _ => false,
        };
    }

    /// <summary>Resolves <paramref name="host"/> and returns an allowed address, or throws <see cref="OutboundAddressException"/> naming why.</summary>
    public async Task<IPAddress> ResolveAllowedAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (SocketException ex)
            {
                throw new OutboundAddressException($"The host '{host}' could not be resolved: {ex.SocketErrorCode}.", ex);
            }
        }
        if (addresses.Length == 0)
        {
            throw new OutboundAddressException($"The host '{host}' has no addresses.");
        }
        // Every address must be allowed: a name that resolves to one public and one private address is refused.
        var refused = addresses.FirstOrDefault(a => !IsAllowed(a));
        if (refused is not null)
        {
            throw new OutboundAddressException($"The host '{host}' resolves to {refused}, which is not a public address.");
        }
        return addresses[0];
    }

    /// <summary>A SocketsHttpHandler that checks the address it connects to (so DNS rebinding between check and connect is caught) and follows no redirects.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var address = await ResolveAllowedAsync(context.DnsEndPoint.Host, cancellationToken);
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    private static bool IsPublicV4(byte[] b) => !(
        b[0] == 0 ||                                   // 0.0.0.0/8 "this network"
        b[0] == 10 ||                                  // 10/8 private
        b[0] == 127 ||                                 // loopback
        (b[0] == 100 && b[1] >= 64 && b[1] <= 127) ||  // 100.64/10 carrier-grade NAT
        (b[0] == 169 && b[1] == 254) ||                // link-local, instance metadata
        (b[0] == 172 && b[1] >= 16 && b[1] <= 31) ||   // 172.16/12 private
        (b[0] == 192 && b[1] == 0 && b[2] == 0) ||     // 192.0.0/24 IETF protocol assignments
        (b[0] == 192 && b[1] == 0 && b[2] == 2) ||     // TEST-NET-1
        (b[0] == 192 && b[1] == 168) ||                // 192.168/16 private
        (b[0] == 198 && (b[1] == 18 || b[1] == 19)) || // benchmarking
        (b[0] == 198 && b[1] == 51 && b[2] == 100) ||  // TEST-NET-2
        (b[0] == 203 && b[1] == 0 && b[2] == 113) ||   // TEST-NET-3
        b[0] >= 224);                                  // multicast, reserved, broadcast

    private static bool IsPublicV6(IPAddress address)
    {
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.Equals(IPAddress.IPv6None))
        {
            return false;
        }
        var b = address.GetAddressBytes();
        var uniqueLocal = (b[0] & 0xFE) == 0xFC;                      // fc00::/7
        var documentation = b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8; // 2001:db8::/32
        var nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B;         // 64:ff9b::/96 can reach private v4
        return !uniqueLocal && !documentation && !nat64 && (b[0] & 0xE0) == 0x20;         // global unicast is 2000::/3
    }
}
