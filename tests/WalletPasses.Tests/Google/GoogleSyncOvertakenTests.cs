using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Events;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Google;

/// <summary>
/// Two instances sync one member's Google object at once (the Functions host scales out; each instance serializes
/// only its own syncs). Google applies a PATCH when it arrives, so an older version's PATCH that is slow on the way
/// can land after a newer one (https://developers.google.com/wallet/reference/rest/v1/loyaltyobject/patch): the
/// object then shows the older balance, and the record of the newer sync must not let that stand.
/// </summary>
public sealed class GoogleSyncOvertakenTests : IAsyncLifetime
{
    private GoogleWalletFake _fake = null!;
    private WalletPassesFactory _first = null!;
    private WalletPassesFactory _second = null!;

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteServer.Shared;
        _fake = await GoogleWalletFake.StartAsync();
        var settings = GoogleAppFixture.GoogleSettings(_fake, _fake.WriteServiceAccountKeyFile());
        settings["WalletPasses:Google:IssueTimeout"] = "00:01:00";
        _first = Instance(azurite, settings);
        _second = Instance(azurite, new Dictionary<string, string?>(settings) { ["WalletPasses:Storage:NamePrefix"] = _first.StoragePrefix }); // one storage, as the host scales out
        foreach (var instance in new[] { _first, _second })
        {
            (await instance.CreateClient().GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
        }
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task An_older_versions_patch_landing_after_a_newer_one_is_followed_by_the_current_version()
    {
        var memberId = TestMembers.NewId();
        var created = await _first.CreateBackendClient().PutAsync($"/api/members/{memberId}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 1000, "tier": "gold"}"""));
        created.EnsureSuccessStatusCode();
        var objectId = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("google").GetProperty("objectId").GetString()!;
        await Eventually.HoldsAsync(() => _fake.StoredObjects.ContainsKey(objectId), "Google has the object");
        int Balance() => _fake.StoredObjects[objectId]["loyaltyPoints"]!["balance"]!["int"]!.GetValue<int>();

        // The first instance's PATCH of version 2 is on its way; the second instance applies version 3 and syncs it.
        var (arrived, release) = _fake.HoldNext("PATCH", objectId);
        var olderSync = Processor(_first).ProcessAsync(GoogleTestEvents.Points(memberId, 1, 2000), default);
        await arrived.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(EventOutcome.Applied, await Processor(_second).ProcessAsync(GoogleTestEvents.Points(memberId, 2, 3000), default));
        Assert.Equal(3000, Balance());

        release(); // version 2's PATCH lands now, after version 3's
        await olderSync;

        // Before the fix the first instance found its record beaten by version 3's and stopped: Google kept showing 2000.
        Assert.Equal(3000, Balance());
    }

    private static WalletPassesFactory Instance(AzuriteServer azurite, Dictionary<string, string?> settings) => new(azurite.ConnectionString, settings);

    private static LoyaltyEventProcessor Processor(WalletPassesFactory instance) =>
        instance.Services.GetRequiredService<LoyaltyEventProcessor>();
}
