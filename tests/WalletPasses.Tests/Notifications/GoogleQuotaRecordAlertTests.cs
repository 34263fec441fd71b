using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Events;
using WalletPasses.Google;
using WalletPasses.Storage;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Notifications;

/// <summary>
/// An important alert held back because the object's own record of notifications already fills Google's window, so
/// Google is not even asked. Google's limit, from
/// https://developers.google.com/wallet/retail/loyalty-cards/use-cases/trigger-push-notifications: "You may send a
/// maximum of 3 messages that trigger a push notification in a 24 hour period" (past it the Add Message call fails with
/// a QuotaExceededException, which <see cref="GoogleQuotaAlertTests"/> covers). The record counts notifications when
/// Google was sent them, the shared budget (3 alerts per pass per 24 hours, Apple and Google) counts the versions that
/// alert: a held-back alert sent later counts on Google again but not in the budget, and an update synced late counts
/// on Google when sent. The test writes such a record (three notifications this morning) beside a budget with room.
/// </summary>
public sealed class GoogleQuotaRecordAlertTests(NotificationAppFixture app) : IClassFixture<NotificationAppFixture>
{
    private readonly HolderView _holder = new(app);

    [Fact]
    public async Task A_tier_alert_over_the_objects_own_count_of_Google_notifications_shows_at_once_silently_and_notifies_once_when_the_window_frees()
    {
        // Google counted three notifications of this object from noon (the object's record says so); the member's
        // shared budget has room.
        var noon = app.AdvanceTo(new TimeOnly(12, 0), HolderView.Berlin);
        var (memberId, passUrl, objectId) = await _holder.EnrolAsync();
        var objects = app.Factory.Services.GetRequiredService<StorageClients>().Members;
        await Eventually.HoldsAsync(async () => (await objects.GetEntityIfExistsAsync<GoogleObjectEntity>(memberId, GoogleObjectEntity.RowKeyValue)).HasValue, "the pass reached Google");
        var record = (await objects.GetEntityAsync<GoogleObjectEntity>(memberId, GoogleObjectEntity.RowKeyValue)).Value;
        record.NotificationsJson = JsonSerializer.Serialize(new[] { noon, noon.AddMinutes(5), noon.AddMinutes(10) });
        await objects.UpdateEntityAsync(record, record.ETag);
        var beforeUpgrade = _holder.AddedMessages(objectId).Count;
        var notifiedBefore = app.Fake.NotificationsSent.GetValueOrDefault(objectId);

        // 12:20: the upgrade to platinum, which the shared budget lets alert: Apple alerts at once.
        app.Factory.Time.Advance(TimeSpan.FromMinutes(20));
        await app.Processor.ProcessAsync(HolderView.Event(memberId, 2, LoyaltyEventTypes.TierChanged, tier: "platinum"), default);
        await Eventually.HoldsAsync(() => _holder.AddedMessages(objectId).Count > beforeUpgrade, "the upgrade reached Google");
        var upgradedOnApple = await _holder.PassAsync(passUrl);
        var upgradedOnGoogle = app.Fake.StoredObjects.GetValueOrDefault(objectId);
        var upgradeMessages = _holder.AddedMessages(objectId).Skip(beforeUpgrade).ToArray();

        // Google's window frees when the first of its three notifications (noon) is 24 hours old, not a minute before.
        var frees = noon.AddDays(1);
        app.Factory.Time.SetUtcNow(frees.AddMinutes(-1));
        await app.DeferredAlertsJob.RunOnceAsync(default);
        var beforeFreeing = _holder.AddedMessages(objectId).Count;
        app.Factory.Time.SetUtcNow(frees.AddMinutes(1));
        await app.DeferredAlertsJob.RunOnceAsync(default);
        await app.DeferredAlertsJob.RunOnceAsync(default); // a second run (or instance) sends nothing more
        await Eventually.HoldsAsync(() => _holder.AddedMessages(objectId).Count > beforeFreeing, "the held-back alert reached Google");

        // Apple alerted for the upgrade at 12:20, once: nothing changes on the pass when Google's window frees.
        Assert.True(upgradedOnApple.Field("headerFields", "tier").TryGetProperty("changeMessage", out _));
        Assert.Equal(upgradedOnApple.PassJson.GetRawText(), (await _holder.PassAsync(passUrl)).PassJson.GetRawText());

        // Google: at 12:20 the pass showed platinum at once, silently, without asking Google for a notification it
        // would refuse (no TEXT_AND_NOTIFY request at all), and nothing more until the window freed...
        Assert.Equal("Platinum", upgradedOnGoogle!["secondaryLoyaltyPoints"]!["balance"]!["string"]!.GetValue<string>());
        Assert.Equal(["TEXT"], upgradeMessages.Select(m => m["messageType"]!.GetValue<string>()));
        Assert.Equal(beforeUpgrade + 1, beforeFreeing);
        Assert.Equal(notifiedBefore, app.Fake.NotificationsSent.GetValueOrDefault(objectId) - 1); // only the held-back alert notified

        // ...then one notifying message, which replaced the silent one: the holder sees it once.
        Assert.Equal(beforeFreeing + 1, _holder.AddedMessages(objectId).Count);
        var last = _holder.AddedMessages(objectId)[^1];
        Assert.Equal("TEXT_AND_NOTIFY", last["messageType"]!.GetValue<string>());
        Assert.Equal(upgradeMessages[0]["body"]!.GetValue<string>(), last["body"]!.GetValue<string>());
        var shown = app.Fake.StoredObjects.GetValueOrDefault(objectId)!["messages"]!.AsArray();
        Assert.Equal(last["id"]!.GetValue<string>(), Assert.Single(shown, m => m!["body"]!.GetValue<string>() == last["body"]!.GetValue<string>())!["id"]!.GetValue<string>());
        Assert.Contains(await _holder.GoogleTraceAsync(memberId), detail => detail.StartsWith($"alert held back by Google's notification quota until {frees.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}", StringComparison.Ordinal));
    }
}
