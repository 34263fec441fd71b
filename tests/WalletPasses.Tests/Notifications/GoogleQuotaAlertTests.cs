using WalletPasses.Events;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Notifications;

/// <summary>
/// An important alert that Google refuses for its notification quota. Google's limit, from
/// https://developers.google.com/wallet/retail/loyalty-cards/use-cases/trigger-push-notifications: "You may send a
/// maximum of 3 messages that trigger a push notification in a 24 hour period", and past it the Add Message call fails
/// with a QuotaExceededException, after which TEXT is to be used instead of TEXT_AND_NOTIFY (the same page for
/// transit passes, .../tickets/transit-passes/qr-code/use-cases/trigger-push-notifications). The fake counts
/// notifications so and answers the fourth with Google's 403 <c>quotaExceeded</c> body.
/// </summary>
public sealed class GoogleQuotaAlertTests(FourAlertsADayFixture app) : IClassFixture<FourAlertsADayFixture>
{
    private readonly HolderView _holder = new(app);

    [Fact]
    public async Task A_deferred_tier_alert_that_Google_refuses_for_its_quota_notifies_on_Google_when_the_quota_frees_and_alerts_Apple_once()
    {
        // Three points alerts from noon (Google's three for the day; the deployment allows four), a tier upgrade at
        // night, announced the next morning: Apple alerts then, Google refuses the fourth notification.
        var noon = app.AdvanceTo(new TimeOnly(12, 0), HolderView.Berlin);
        var (memberId, passUrl, objectId) = await _holder.EnrolAsync();
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            await app.Processor.ProcessAsync(HolderView.Event(memberId, sequence, LoyaltyEventTypes.PointsChanged, points: 100 + (100 * sequence)), default);
            app.Factory.Time.Advance(TimeSpan.FromMinutes(10));
        }

        app.AdvanceTo(new TimeOnly(23, 0), HolderView.Berlin);
        await app.Processor.ProcessAsync(HolderView.Event(memberId, 4, LoyaltyEventTypes.TierChanged, tier: "gold"), default);
        app.AdvanceTo(new TimeOnly(8, 1), HolderView.Berlin);
        await app.DeferredAlertsJob.RunOnceAsync(default);
        await Eventually.HoldsAsync(() => _holder.AddedMessages(objectId).Count >= 3, "the morning's announcement reached Google");
        var announcedOnApple = await _holder.PassAsync(passUrl);
        var refusedMorning = app.Fake.StoredObjects.GetValueOrDefault(objectId);

        // Google's quota frees when its first notification of the day (noon) is 24 hours old, not a minute before.
        var frees = noon.AddDays(1);
        app.Factory.Time.SetUtcNow(frees.AddMinutes(-1));
        await app.DeferredAlertsJob.RunOnceAsync(default);
        var beforeFreeing = _holder.AddedMessages(objectId).Count;
        app.Factory.Time.SetUtcNow(frees.AddMinutes(1));
        await app.DeferredAlertsJob.RunOnceAsync(default);
        await app.DeferredAlertsJob.RunOnceAsync(default); // a second run (or instance) sends nothing more
        await Eventually.HoldsAsync(() => _holder.AddedMessages(objectId).Count > beforeFreeing, "the held-back alert reached Google");

        // Apple alerted in the morning, once: the announcement field, and nothing changes on the pass at noon.
        Assert.True(announcedOnApple.Field("backFields", "announcement").TryGetProperty("changeMessage", out _));
        Assert.Equal(announcedOnApple.PassJson.GetRawText(), (await _holder.PassAsync(passUrl)).PassJson.GetRawText());

        // Google: in the morning the pass showed gold at once, silently (the refused message added as TEXT)...
        Assert.Equal("Gold", refusedMorning!["secondaryLoyaltyPoints"]!["balance"]!["string"]!.GetValue<string>());
        Assert.Equal(["TEXT", "TEXT_AND_NOTIFY", "TEXT"], _holder.AddedMessages(objectId).Take(3).Select(m => m["messageType"]!.GetValue<string>()));
        Assert.Equal(3, beforeFreeing); // nothing more a minute before the quota frees
        // ...and when the quota freed, one notifying message, which replaced the silent one: the holder sees it once.
        var last = _holder.AddedMessages(objectId)[^1];
        Assert.Equal("TEXT_AND_NOTIFY", last["messageType"]!.GetValue<string>());
        Assert.Equal(beforeFreeing + 1, _holder.AddedMessages(objectId).Count);
        var shown = app.Fake.StoredObjects.GetValueOrDefault(objectId)!["messages"]!.AsArray();
        Assert.Equal(last["id"]!.GetValue<string>(), Assert.Single(shown, m => m!["body"]!.GetValue<string>() == last["body"]!.GetValue<string>())!["id"]!.GetValue<string>());
        Assert.Equal(3, app.Fake.NotificationsSent[objectId]); // the 12:10 and 12:20 points alerts and the announcement
        Assert.Contains(await _holder.GoogleTraceAsync(memberId), detail => detail.StartsWith($"alert held back by Google's notification quota until {frees.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}", StringComparison.Ordinal));
    }
}
