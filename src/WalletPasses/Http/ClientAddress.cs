using System.Net;
using System.Net.Sockets;

namespace WalletPasses.Http;

/// <summary>
/// The client that a per-address limit counts: an IPv4 address as itself, an IPv6 address as its /64 prefix. An IPv6
/// host is given a whole /64 and picks the low 64 bits itself (RFC 4291 §2.5.1), changing them as it likes (RFC 8981
/// temporary addresses), so a count per full IPv6 address would be a fresh allowance per request.
/// </summary>
public static class ClientAddress
{
    private const int PrefixBytes = 8;

    /// <summary>The counted client of the request, after forwarded headers (<c>IPAddress.None</c> when there is no address).</summary>
    public static IPAddress Of(HttpContext context) => Of(context.Connection.RemoteIpAddress);

    public static IPAddress Of(IPAddress? address)
    {
        if (address is null)
        {
            return IPAddress.None;
        }

        // A dual-stack socket shows IPv4 clients as ::ffff:a.b.c.d: all of them share one /64, but each is its own client.
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[PrefixBytes..].Clear();
        return new IPAddress(bytes); // without the scope id, which names an interface of this machine, not the client
    }
}
