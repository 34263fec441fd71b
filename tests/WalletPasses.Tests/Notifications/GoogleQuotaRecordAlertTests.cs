using System.Net;
using WalletPasses.Events;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Notifications;

/// <summary>
/// An important alert held back because the object's own record of notifications already fills Google's window, so
/// Google is not even asked. Google's limit, from
/// https://developers.google.com/wallet/retail/loyalty-cards/use-cases/trigger-push-notifications: "You may send a
/// maximum of 3 messages that trigger a push notification in a 24 hour period" (past it the Add Message call fails with
/// a QuotaExceededException, which <see cref="GoogleQuotaAlertTests"/> covers). The default policy (3 alerts per pass per
/// 24 hours, shared by Apple and Google) lets the record fill before the shared budget does: a version that changes
/// points and tier together is one alert of the shared budget, but Google gets its one notification per update for the
/// points and the tier message notifies on the next run of the held-alerts job, two notifications.
/// </summary>
public sealed class GoogleQuotaRecordAlertTests(NotificationAppFixture app) : IClassFixture<NotificationAppFixture>
{
    private readonly HolderView _holder = new(app);

    [Fact]
    public async Task A_tier_alert_over_the_objects_own_count_of_Google_notifications_shows_at_once_silently_and_notifies_once_when_the_window_frees()
    {
        // Noon: points and tier change together (Google: the points update notifies, the tier message follows on the
        // job's next run), then a points alert at 12:10: three notifications on Google, two alerts of the shared budget.
        var noon = app.AdvanceTo(new TimeOnly(12, 0), HolderView.Berlin);
        var (memberId, passUrl, objectId) = await _holder.EnrolAsync();
        var both = await _holder.Backend.PutAsync($"/api/members/{memberId}", TestMembers.Json(
            """{"displayName": "Jane Doe", "points": 200, "tier": "gold", "timeZone": "Europe/Berlin"}"""));
        Assert.Equal(HttpStatusCode.OK, both.StatusCode);
        await app.DeferredAlertsJob.RunOnceAsync(default);
        app.Factory.Time.Advance(TimeSpan.FromMinutes(10));
        await app.Processor.ProcessAsync(HolderView.Event(memberId, 1, LoyaltyEventTypes.PointsChanged, points: 300), default);
        Assert.Equal(3, app.Fake.NotificationsSent[objectId]);
        var beforeUpgrade = _holder.AddedMessages(objectId).Count;

        // 12:20: the upgrade to platinum, which the shared budget (two of three) lets alert: Apple alerts at once.
        app.Factory.Time.Advance(TimeSpan.FromMinutes(10));
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
