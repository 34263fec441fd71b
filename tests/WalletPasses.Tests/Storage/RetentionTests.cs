using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WalletPasses.Events;
using WalletPasses.Members;
using WalletPasses.Storage;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Storage;

/// <summary>Bounded growth: the retention sweep deletes what outlived its retention, and only that.</summary>
public sealed class RetentionTests(AppFixture app) : IClassFixture<AppFixture>
{
    private RetentionSweepJob Sweep => app.Factory.Services.GetRequiredService<RetentionSweepJob>();

    private TableClient Table(string name) => new(app.Azurite.ConnectionString, app.Factory.StoragePrefix + name);

    private static LoyaltyEvent PointsEvent(string memberId, long sequence, long points, string eventId) =>
        new(eventId, memberId, sequence, DateTimeOffset.UtcNow, LoyaltyEventTypes.PointsChanged, points, null, null, null, null, null);

    private async Task<bool> ExistsAsync(string table, string partitionKey, string rowKey) =>
        (await Table(table).GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey)).HasValue;

    [Fact]
    public async Task An_applied_event_row_outlives_every_redelivery_and_is_swept_after_its_retention()
    {
        using var backend = app.Factory.CreateBackendClient();
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(backend, memberId);
        var processor = app.Factory.Services.GetRequiredService<LoyaltyEventProcessor>();
        var eventId = "evt-" + Guid.NewGuid().ToString("N");
        await processor.ProcessAsync(PointsEvent(memberId, 1, 1300, eventId), default);

        // A redelivery can come as late as the queue's message time-to-live: the row must still be there.
        app.Factory.Time.Advance(RetentionOptions.QueueMessageTimeToLive + TimeSpan.FromHours(1));
        await Sweep.RunOnceAsync(default);
        var keptWhileRedeliverable = await ExistsAsync("members", memberId, "event|" + eventId);
        var redelivered = await processor.ProcessAsync(PointsEvent(memberId, 1, 1300, eventId), default);

        app.Factory.Time.Advance(new RetentionOptions().AppliedEvents);
        await Sweep.RunOnceAsync(default);

        Assert.True(keptWhileRedeliverable);
        Assert.Equal(EventOutcome.Duplicate, redelivered);
        Assert.False(await ExistsAsync("members", memberId, "event|" + eventId));
        Assert.True(await ExistsAsync("members", memberId, "member"));
    }

    [Fact]
    public async Task Scans_are_swept_after_their_retention_and_kept_before()
    {
        using var backend = app.Factory.CreateBackendClient();
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, backend);
        var scanId = (await StaffTesting.ValidateOkAsync(app.Factory.CreateStaffClient(), barcode)).GetProperty("scanId").GetString();
        async Task<bool> ScanExistsAsync()
        {
            await foreach (var _ in Table("scans").QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"ScanId eq {scanId}")))
            {
                return true;
            }

            return false;
        }

        app.Factory.Time.Advance(new RetentionOptions().Scans - TimeSpan.FromDays(1));
        await Sweep.RunOnceAsync(default);
        var keptBefore = await ScanExistsAsync();
        app.Factory.Time.Advance(TimeSpan.FromDays(2));
        await Sweep.RunOnceAsync(default);

        Assert.True(keptBefore);
        Assert.False(await ScanExistsAsync());
    }

    /// <summary>
    /// A once-a-day perk leaves a claim row per member and day; only today's is ever read, so past days' claims would
    /// pile up for good (a year of daily drinks: 365 rows per member). The sweep deletes them; today's claim and a
    /// once-only perk's claim stay, and both still refuse a second redemption.
    /// </summary>
    [Fact]
    public async Task Past_days_perk_claims_are_swept_and_todays_and_once_only_claims_still_refuse_a_second_redemption()
    {
        using var backend = app.Factory.CreateBackendClient();
        using var staff = app.Factory.CreateStaffClient();
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, backend, tier: "platinum");
        async Task<HttpStatusCode> RedeemAsync(string perkId)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/redemptions") { Content = JsonContent.Create(new { barcode, perkId }) };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            return (await staff.SendAsync(request)).StatusCode;
        }

        async Task<List<string>> ClaimRowsAsync()
        {
            var rows = new List<string>();
            await foreach (var row in Table("members").QueryAsync<TableEntity>(e => e.PartitionKey == memberId, select: ["RowKey"]))
            {
                if (row.RowKey.StartsWith("perk|", StringComparison.Ordinal))
                {
                    rows.Add(row.RowKey);
                }
            }

            return rows;
        }

        Assert.Equal(HttpStatusCode.OK, await RedeemAsync("free-drink-daily"));
        Assert.Equal(HttpStatusCode.OK, await RedeemAsync("birthday-drink"));
        var firstDay = Assert.Single(await ClaimRowsAsync(), key => key.Contains("|day|", StringComparison.Ordinal));
        app.Factory.Time.Advance(TimeSpan.FromDays(3));
        Assert.Equal(HttpStatusCode.OK, await RedeemAsync("free-drink-daily"));
        var today = Assert.Single(await ClaimRowsAsync(), key => key.Contains("|day|", StringComparison.Ordinal) && key != firstDay);

        await Sweep.RunOnceAsync(default);

        Assert.Equal(["perk|birthday-drink|once", today], (await ClaimRowsAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.Conflict, await RedeemAsync("free-drink-daily"));
        Assert.Equal(HttpStatusCode.Conflict, await RedeemAsync("birthday-drink"));
    }

    /// <summary>
    /// Members stored before the member row had its copy of their devices (<c>DevicesJson</c> absent): one erased after
    /// the upgrade, one erased before it whose DELETE the backend sends again (README, "Upgrading"). The sweep finds an
    /// erased member's devices by that copy; without it their push tokens stayed for good. Device calls as in Apple's
    /// PassKit web service reference (see <see cref="SimulatedDevice"/>).
    /// </summary>
    [Fact]
    public async Task Erasure_of_members_stored_before_the_device_copy_has_their_devices_swept_after_the_delivery_trace_retention()
    {
        using var backend = app.Factory.CreateBackendClient();
        var erasedAfterUpgrade = await InstalledPass.IssueAsync(app.Factory);
        var erasedBeforeUpgrade = await InstalledPass.IssueAsync(app.Factory);
        foreach (var pass in new[] { erasedAfterUpgrade, erasedBeforeUpgrade })
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, (await new SimulatedDevice(app.Factory).RegisterAsync(pass)).StatusCode);
        }

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await backend.DeleteAsync($"/api/members/{erasedBeforeUpgrade.MemberId}")).StatusCode);
        await DropDeviceCopyAsync(erasedBeforeUpgrade.MemberId); // erased by a version without the copy
        await DropDeviceCopyAsync(erasedAfterUpgrade.MemberId); // enrolled by a version without the copy
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await backend.DeleteAsync($"/api/members/{erasedAfterUpgrade.MemberId}")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await backend.DeleteAsync($"/api/members/{erasedBeforeUpgrade.MemberId}")).StatusCode); // the one-off step

        app.Factory.Time.Advance(new RetentionOptions().DeliveryTrace + TimeSpan.FromDays(1));
        await Sweep.RunOnceAsync(default);

        Assert.Empty(await StoredRegistrations.ForMemberAsync(app.Factory, erasedAfterUpgrade.MemberId));
        Assert.Empty(await StoredRegistrations.ForMemberAsync(app.Factory, erasedBeforeUpgrade.MemberId));
    }

    /// <summary>Makes the member row look as a version before the device copy wrote it: no <c>DevicesJson</c> column.</summary>
    private async Task DropDeviceCopyAsync(string memberId)
    {
        var row = (await Table("members").GetEntityAsync<TableEntity>(memberId, MemberEntity.RowKeyValue)).Value;
        row.Remove(nameof(MemberEntity.DevicesJson));
        await Table("members").UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
    }

    /// <summary>Four scans a run, each up to this long: over a minute they would not fit a Consumption plan's 5-minute function timeout.</summary>
    [Fact]
    public void A_sweep_run_budget_over_a_minute_stops_start_up_naming_the_setting_and_a_good_value()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["WalletPasses:Retention:SweepRunBudget"] = "00:05:00" }).Build();
        using var provider = new ServiceCollection().AddRetention(configuration).BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RetentionOptions>>().Value);

        Assert.Contains("WalletPasses:Retention:SweepRunBudget", refused.Message);
        Assert.Contains("00:00:45", refused.Message);
    }

    [Fact]
    public void An_applied_event_retention_a_redelivery_could_outlive_stops_start_up_with_a_message_saying_why()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["WalletPasses:Retention:AppliedEvents"] = "3.00:00:00" }).Build();
        using var provider = new ServiceCollection().AddRetention(configuration).BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RetentionOptions>>().Value);

        Assert.Contains("longer than the queue message time-to-live", refused.Message);
    }
}
