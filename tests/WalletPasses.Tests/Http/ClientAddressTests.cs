using System.Net;
using WalletPasses.Http;

namespace WalletPasses.Tests.Http;

/// <summary>
/// The client a per-address limit counts. An IPv6 host is given a whole /64: RFC 4291 §2.5.1 makes the low 64 bits the
/// interface identifier, which the host picks itself, and RFC 8981 has it generate new random ("temporary") ones as
/// it likes; so a limit per full IPv6 address is a fresh allowance per request for anyone on IPv6.
/// </summary>
public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::")]
    [InlineData("2001:db8:1:2:a1b2:c3d4:e5f6:789", "2001:db8:1:2::")]
    [InlineData("fe80::1%3", "fe80::")]
    [InlineData("::1", "::")]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")] // an IPv4 client of a dual-stack socket: counted as itself, never with every other IPv4 client
    public void An_ipv6_client_is_its_64_bit_prefix_and_an_ipv4_client_its_address(string remote, string counted)
    {
        Assert.Equal(IPAddress.Parse(counted), ClientAddress.Of(IPAddress.Parse(remote)));
    }

    [Fact]
    public void Clients_in_different_64_bit_prefixes_stay_apart()
    {
        Assert.NotEqual(ClientAddress.Of(IPAddress.Parse("2001:db8:1:2::1")), ClientAddress.Of(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.NotEqual(ClientAddress.Of(IPAddress.Parse("::ffff:203.0.113.7")), ClientAddress.Of(IPAddress.Parse("::ffff:203.0.113.8")));
    }

    [Fact]
    public void No_address_is_one_client()
    {
        Assert.Equal(IPAddress.None, ClientAddress.Of((IPAddress?)null));
    }
}
