using System.Net;
using Microsoft.AspNetCore.Http;
using WalletPasses.Tests.Events;
using WalletPasses.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// What Apple's unauthenticated "Get the List of Updatable Passes"
/// (https://developer.apple.com/documentation/walletpasses/get-the-list-of-updatable-passes) costs in table requests,
/// counted at the storage endpoint: made-up device identifiers stop costing any once their address is over its allowance.
/// </summary>
public sealed class PassKitListCostTests(CountedTablesFixture app, ITestOutputHelper output) : IClassFixture<CountedTablesFixture>
{
    private static readonly int DefaultAllowance = new WalletPasses.Apple.PassKitOptions().UnknownDevicesPerClientPerMinute;

    [Fact]
    public async Task An_unknown_device_costs_one_table_query_and_none_once_its_address_is_over_the_allowance()
    {
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var device = new SimulatedDevice(app.Factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        var known = await RequestsDuringAsync("198.51.100.50", device.Id, pass, StatusCodes.Status200OK);
        output.WriteLine($"known device, one pass: {known.Count} table requests: {string.Join(", ", known.Select(r => r.Line))}");

        const string prober = "203.0.113.50";
        for (var i = 0; i < DefaultAllowance; i++)
        {
            var unknown = await RequestsDuringAsync(prober, "device." + Guid.NewGuid().ToString("N"), pass, StatusCodes.Status204NoContent);
            Assert.Single(unknown);
        }

        Assert.Empty(await RequestsDuringAsync(prober, "device." + Guid.NewGuid().ToString("N"), pass, StatusCodes.Status429TooManyRequests));
    }

    /// <summary>The table requests made while the call ran, of the device's partition (background jobs make others meanwhile).</summary>
    private async Task<List<TableRequest>> RequestsDuringAsync(string client, string deviceLibraryIdentifier, InstalledPass pass, int expectedStatus)
    {
        var seen = app.Tables.Requests.Count;
        Assert.Equal(expectedStatus, (await SimulatedDevice.ListFromAsync(app.Factory, client, deviceLibraryIdentifier, pass)).StatusCode);
        return [.. app.Tables.Requests.Skip(seen).Where(r => r.Query.Contains(deviceLibraryIdentifier, StringComparison.Ordinal) || r.Line.Contains(deviceLibraryIdentifier, StringComparison.Ordinal) || r.Line.Contains(pass.MemberId, StringComparison.Ordinal))];
    }
}
