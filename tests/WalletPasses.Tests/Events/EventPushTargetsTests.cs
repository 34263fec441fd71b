using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Events;
using WalletPasses.Members;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Events;

/// <summary>An app over an Azurite of its own whose table requests go through a <see cref="TableRequestCounter"/> (blobs and queues direct).</summary>
public sealed class CountedTablesFixture : IAsyncLifetime
{
    private AzuriteServer _azurite = null!;

    public WalletPassesFactory Factory { get; private set; } = null!;

    public TableRequestCounter Tables { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var ports = AzuriteServer.FreePorts();
        _azurite = await AzuriteServer.StartAsync(ports);
        Tables = await TableRequestCounter.StartAsync(new Uri($"http://127.0.0.1:{ports[2]}/"));
        Factory = new WalletPassesFactory(AzuriteServer.ConnectionStringFor([ports[0], ports[1], Tables.Port]));
        using var client = Factory.CreateClient();
        (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Tables.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}

/// <summary>
/// Whom an event pushes: every device registered for the pass now (Apple's PassKit web service reference: a device
/// registers for a pass's push notifications with its push token, may send a new token by registering again, and
/// unregisters when the pass is removed), read from the member row the event reads anyway, never with a query of the
/// registrations (a billed transaction per event; in Azurite a scan of the whole table).
/// </summary>
public sealed class EventPushTargetsTests(CountedTablesFixture app) : IClassFixture<CountedTablesFixture>
{
    private static ApnsEmulator Apns => SharedApns.Emulator;

    [Fact]
    public async Task An_event_pushes_the_registered_device_without_querying_the_registrations()
    {
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var device = new SimulatedDevice(app.Factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);

        var queries = await QueriesOfRegistrationsDuringAsync(pass.MemberId, () => ApplyPointsAsync(pass, 1, 500));

        Assert.Single(Apns.Pushes, p => p.PushToken == device.PushToken);
        Assert.Empty(queries);
    }

    [Fact]
    public async Task After_registrations_come_and_go_an_event_pushes_exactly_the_devices_registered_now_with_their_latest_tokens()
    {
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var (phone, watch, tablet) = (new SimulatedDevice(app.Factory), new SimulatedDevice(app.Factory), new SimulatedDevice(app.Factory));
        foreach (var device in new[] { phone, watch, tablet })
        {
            Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        }

        await ApplyPointsAsync(pass, 1, 200); // an event in between: the member row is replaced, and must keep the devices
        Assert.Equal(HttpStatusCode.OK, (await watch.UnregisterAsync(pass)).StatusCode);
        var oldToken = tablet.PushToken;
        tablet.PushToken = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Assert.Equal(HttpStatusCode.OK, (await tablet.RegisterAsync(pass)).StatusCode); // a new token for a known registration

        var pushesBefore = Apns.Pushes.Count;
        var queries = await QueriesOfRegistrationsDuringAsync(pass.MemberId, () => ApplyPointsAsync(pass, 2, 300));

        var pushed = Apns.Pushes.Skip(pushesBefore).Select(p => p.PushToken).Where(t => t == phone.PushToken || t == watch.PushToken || t == tablet.PushToken || t == oldToken).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { phone.PushToken, tablet.PushToken }.Order(StringComparer.Ordinal), pushed);
        Assert.Empty(queries);
    }

    [Fact]
    public async Task A_member_row_stored_before_it_listed_the_devices_still_pushes_every_registered_device()
    {
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var device = new SimulatedDevice(app.Factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        await RemoveDevicesColumnAsync(pass.MemberId);

        await ApplyPointsAsync(pass, 1, 700);

        Assert.Single(Apns.Pushes, p => p.PushToken == device.PushToken);
    }

    private async Task RemoveDevicesColumnAsync(string memberId)
    {
        var table = app.Factory.Services.GetRequiredService<WalletPasses.Storage.StorageClients>().Members;
        var row = (await table.GetEntityAsync<TableEntity>(memberId, MemberEntity.RowKeyValue)).Value;
        row.Remove(nameof(MemberEntity.DevicesJson));
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
    }

    private async Task<List<TableRequest>> QueriesOfRegistrationsDuringAsync(string memberId, Func<Task> action)
    {
        var seen = app.Tables.Requests.Count;
        await action();
        return [.. app.Tables.Requests.Skip(seen).Where(r => r.Line.StartsWith("GET ", StringComparison.Ordinal) && r.Query.Contains(memberId, StringComparison.Ordinal) && r.Query.Contains("reg|", StringComparison.Ordinal))];
    }

    private async Task ApplyPointsAsync(InstalledPass pass, long sequence, long points)
    {
        var loyaltyEvent = new LoyaltyEvent($"evt-{Guid.NewGuid():N}", pass.MemberId, sequence, DateTimeOffset.UtcNow, LoyaltyEventTypes.PointsChanged, points, null, null, null, null, null);
        Assert.Equal(EventOutcome.Applied, await app.Factory.Services.GetRequiredService<LoyaltyEventProcessor>().ProcessAsync(loyaltyEvent, default));
    }
}
