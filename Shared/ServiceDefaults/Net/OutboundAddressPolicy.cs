using System.Net;
using System.Net.Sockets;

namespace SdServerless.ServiceDefaults.Net;

/// <summary>
/// Which addresses our services may call on a client's behalf (init-image URLs, webhooks): public unicast only, as
/// <see cref="AddressClassifier"/> tells them; loopback only when local dev mode allows it.
/// </summary>
public sealed class OutboundAddressPolicy(bool allowLoopback)
{
    public static OutboundAddressPolicy PublicOnly { get; } = new(allowLoopback: false);

    public bool AllowLoopback { get; } = allowLoopback;

    public bool IsAllowed(IPAddress address) =>
        AddressClassifier.IsLoopback(address) ? AllowLoopback : AddressClassifier.IsPublic(address);

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
}
