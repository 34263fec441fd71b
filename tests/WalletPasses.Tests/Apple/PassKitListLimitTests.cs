using System.Net;
using Microsoft.AspNetCore.Http;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// Apple's "Get the List of Updatable Passes" (https://developer.apple.com/documentation/walletpasses/get-the-list-of-updatable-passes)
/// has no Authorization header: its device library identifier is the only secret, and a device with no matching passes
/// is answered "204 No Matching Passes". Anyone can call it with made-up identifiers, each one a table query; an address
/// that sends too many identifiers this service does not know (or cannot be identifiers) is answered 429 for a while.
/// Many iPhones share one IPv4 address behind carrier-grade NAT, so devices that are registered never use up the allowance.
/// </summary>
public sealed class PassKitListLimitTests(PassKitListLimitTests.LowLimits app) : IClassFixture<PassKitListLimitTests.LowLimits>
{
    public const int Allowed = 3;
    public const int ListsPerDevice = Allowed * 4;

    public sealed class LowLimits : AppFixture
    {
        protected override IDictionary<string, string?> SettingOverrides => new Dictionary<string, string?>
        {
            ["WalletPasses:Apple:PassKit:UnknownDevicesPerClientPerMinute"] = Allowed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WalletPasses:Apple:PassKit:ListCallsPerDevicePerMinute"] = ListsPerDevice.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private WalletPassesFactory Factory => app.Factory;

    [Fact]
    public async Task After_too_many_unknown_devices_an_address_gets_429_with_retry_after_and_other_addresses_do_not()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var device = new SimulatedDevice(Factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        const string prober = "203.0.113.41";
        for (var i = 0; i < Allowed; i++)
        {
            Assert.Equal(StatusCodes.Status204NoContent, (await SimulatedDevice.ListFromAsync(Factory, prober, "device." + Guid.NewGuid().ToString("N"), pass)).StatusCode);
        }

        var limited = await SimulatedDevice.ListFromAsync(Factory, prober, "device." + Guid.NewGuid().ToString("N"), pass);
        // Refused before the device is looked up, so a blocked address costs no storage request, known device or not.
        var knownFromThere = await SimulatedDevice.ListFromAsync(Factory, prober, device.Id, pass);

        Assert.Equal(StatusCodes.Status429TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.ContentType?.Split(';')[0]);
        Assert.InRange(int.Parse(limited.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(StatusCodes.Status429TooManyRequests, knownFromThere.StatusCode);
        Assert.Equal(StatusCodes.Status200OK, (await SimulatedDevice.ListFromAsync(Factory, "198.51.100.41", device.Id, pass)).StatusCode);
    }

    [Fact]
    public async Task Malformed_identifiers_use_up_the_allowance_too()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        const string prober = "203.0.113.42";
        for (var i = 0; i < Allowed; i++)
        {
            Assert.Equal(StatusCodes.Status400BadRequest, (await SimulatedDevice.ListFromAsync(Factory, prober, "bad~identifier", pass)).StatusCode);
        }

        Assert.Equal(StatusCodes.Status429TooManyRequests, (await SimulatedDevice.ListFromAsync(Factory, prober, "bad~identifier", pass)).StatusCode);
    }

    [Fact]
    public async Task Registered_devices_sharing_one_address_list_as_often_as_they_like()
    {
        // Carrier-grade NAT: one IPv4 address for many phones, each asking after every push.
        var pass = await InstalledPass.IssueAsync(Factory);
        var phones = Enumerable.Range(0, 2).Select(_ => new SimulatedDevice(Factory)).ToArray();
        foreach (var phone in phones)
        {
            Assert.Equal(HttpStatusCode.Created, (await phone.RegisterAsync(pass)).StatusCode);
        }

        const string carrier = "192.0.2.43";
        for (var i = 0; i < Allowed * 3; i++)
        {
            Assert.Equal(StatusCodes.Status200OK, (await SimulatedDevice.ListFromAsync(Factory, carrier, phones[i % phones.Length].Id, pass)).StatusCode);
        }
    }

    [Fact]
    public async Task A_registered_device_that_asks_far_more_often_than_after_each_push_gets_429_and_other_devices_do_not()
    {
        // Whoever holds one pass can register devices of their own (its authenticationToken is on the pass) and call the
        // list with them from ever new addresses; each call is a query and a read per registered pass.
        var pass = await InstalledPass.IssueAsync(Factory);
        var own = new SimulatedDevice(Factory);
        var other = new SimulatedDevice(Factory);
        Assert.Equal(HttpStatusCode.Created, (await own.RegisterAsync(pass)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await other.RegisterAsync(pass)).StatusCode);
        for (var i = 0; i < ListsPerDevice; i++)
        {
            Assert.Equal(StatusCodes.Status200OK, (await SimulatedDevice.ListFromAsync(Factory, $"198.51.100.{100 + i}", own.Id, pass)).StatusCode);
        }

        var limited = await SimulatedDevice.ListFromAsync(Factory, "198.51.100.99", own.Id, pass);

        Assert.Equal(StatusCodes.Status429TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.ContentType?.Split(';')[0]);
        Assert.InRange(int.Parse(limited.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(StatusCodes.Status200OK, (await SimulatedDevice.ListFromAsync(Factory, "198.51.100.99", other.Id, pass)).StatusCode);
    }

    [Fact]
    public async Task A_prober_taking_a_new_ipv6_address_of_its_64_bit_prefix_per_call_is_still_one_client()
    {
        // The low 64 bits of an IPv6 address are the host's own choice (RFC 4291 §2.5.1; RFC 8981 rotates them).
        var pass = await InstalledPass.IssueAsync(Factory);
        for (var i = 1; i <= Allowed; i++)
        {
            Assert.Equal(StatusCodes.Status204NoContent, (await SimulatedDevice.ListFromAsync(Factory, $"2001:db8:41:1::{i:x}", "device." + Guid.NewGuid().ToString("N"), pass)).StatusCode);
        }

        Assert.Equal(StatusCodes.Status429TooManyRequests, (await SimulatedDevice.ListFromAsync(Factory, "2001:db8:41:1:ffff::1", "device." + Guid.NewGuid().ToString("N"), pass)).StatusCode);
        Assert.Equal(StatusCodes.Status204NoContent, (await SimulatedDevice.ListFromAsync(Factory, "2001:db8:41:2::1", "device." + Guid.NewGuid().ToString("N"), pass)).StatusCode);
    }
}
