using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Events;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Notifications;

/// <summary>
/// The notification policy end to end, over Azurite and the real HTTP stack, with the app's fake clock. Alerts as the
/// platforms define them: Apple shows a lock-screen alert for a field whose value changed only when the field has a
/// <c>changeMessage</c> (Apple's Pass reference, "PassFieldContent": "If you don't specify a change message, the user
/// isn't notified when the field changes"); Google notifies for a balance update only with
/// <c>notifyPreference: NOTIFY_ON_UPDATE</c> and for a message only of type <c>TEXT_AND_NOTIFY</c>
/// (https://developers.google.com/wallet/retail/loyalty-cards/use-cases/trigger-push-notifications).
/// </summary>
public sealed class NotificationPolicyAppTests(NotificationAppFixture app) : IClassFixture<NotificationAppFixture>
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private readonly HttpClient _backend = app.Factory.CreateBackendClient();

    private sealed record TestMember(string MemberId, string PassUrl, string ObjectId);

    private async Task<TestMember> CreateAsync(string notifications = "all", string tier = "silver")
    {
        var memberId = TestMembers.NewId();
        var response = await _backend.PutAsync($"/api/members/{memberId}", TestMembers.Json(
            $$"""{"displayName": "Jane Doe", "points": 100, "tier": "{{tier}}", "notifications": "{{notifications}}", "timeZone": "Europe/Berlin"}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(notifications, document.GetProperty("notifications").GetString());
        Assert.Equal("Europe/Berlin", document.GetProperty("timeZone").GetString());
        return new TestMember(memberId, document.GetProperty("apple").GetProperty("passUrl").GetString()!, document.GetProperty("google").GetProperty("objectId").GetString()!);
    }

    private async Task<PkPass> PassAsync(TestMember member) =>
        new(await app.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(WalletPassesFactory.PublicBaseUrl) }).GetByteArrayAsync(member.PassUrl));

    private static bool Alerts(PkPass pass, string section, string key) => pass.Field(section, key).TryGetProperty("changeMessage", out _);

    private static LoyaltyEvent Event(TestMember member, long sequence, string type, long? points = null, string? tier = null, string? notifications = null) =>
        new($"evt-{Guid.NewGuid():N}", member.MemberId, sequence, DateTimeOffset.UtcNow, type, points, tier, null, null, null, null, Notifications: notifications);

    private IReadOnlyList<JsonObject> Requests(TestMember member, string method, string pathEnd = "") =>
        [.. app.Fake.ApiRequests.Where(r => r.Method == method && r.Path.EndsWith(member.ObjectId + pathEnd, StringComparison.Ordinal)).Select(r => JsonNode.Parse(r.Body)!.AsObject())];

    private static string? NotifyPreference(JsonObject patch) => patch["notifyPreference"]?.GetValue<string>();

    private static string MessageType(JsonObject addMessage) => addMessage["message"]!["messageType"]!.GetValue<string>();

    /// <summary>The notification lines of the member's delivery trace, by pass version (the fake clock may give several one time).</summary>
    private async Task<List<string>> NotificationTraceAsync(TestMember member)
    {
        await app.Factory.Services.GetRequiredService<DeliveryTrace>().FlushAsync(default);
        var report = await _backend.GetFromJsonAsync<JsonElement>($"/api/members/{member.MemberId}/delivery");
        return [.. report.GetProperty("timeline").EnumerateArray()
            .Where(row => row.GetProperty("kind").GetString() == DeliveryTraceKinds.Notification)
            .OrderBy(row => row.GetProperty("version").GetInt64())
            .Select(row => row.GetProperty("detail").GetString()!)];
    }

    [Fact]
    public async Task A_member_who_wants_important_alerts_hears_of_a_tier_upgrade_but_not_of_points()
    {
        app.AdvanceTo(new TimeOnly(12, 0), Berlin);
        var member = await CreateAsync(notifications: "important");

        await app.Processor.ProcessAsync(Event(member, 1, LoyaltyEventTypes.PointsChanged, points: 900), default);
        var afterPoints = await PassAsync(member);
        await app.Processor.ProcessAsync(Event(member, 2, LoyaltyEventTypes.TierChanged, tier: "gold"), default);
        var afterUpgrade = await PassAsync(member);

        Assert.Equal(900, afterPoints.Field("primaryFields", "points").GetProperty("value").GetInt64());
        Assert.False(Alerts(afterPoints, "primaryFields", "points"));
        Assert.True(Alerts(afterUpgrade, "headerFields", "tier"));
        Assert.Equal("tier.gold", afterUpgrade.Field("headerFields", "tier").GetProperty("value").GetString());
        Assert.Null(NotifyPreference(Requests(member, "PATCH")[^2])); // the points update
        Assert.Equal("TEXT_AND_NOTIFY", MessageType(Assert.Single(Requests(member, "POST", "/addMessage"))));
        Assert.Equal(["points: silenced (preference)", "tier: sent"], await NotificationTraceAsync(member));
    }

    [Fact]
    public async Task A_member_who_wants_none_gets_every_update_without_a_single_alert()
    {
        app.AdvanceTo(new TimeOnly(12, 0), Berlin);
        var member = await CreateAsync();

        await app.Processor.ProcessAsync(Event(member, 1, LoyaltyEventTypes.PreferencesChanged, notifications: "none"), default);
        await app.Processor.ProcessAsync(Event(member, 2, LoyaltyEventTypes.PointsChanged, points: 900), default);
        await app.Processor.ProcessAsync(Event(member, 3, LoyaltyEventTypes.TierChanged, tier: "gold"), default);
        var pass = await PassAsync(member);

        Assert.Equal("none", (await TestMembers.GetAsync(_backend, member.MemberId))!.Value.GetProperty("notifications").GetString());
        Assert.Equal("tier.gold", pass.Field("headerFields", "tier").GetProperty("value").GetString());
        Assert.False(Alerts(pass, "headerFields", "tier"));
        Assert.False(Alerts(pass, "primaryFields", "points"));
        Assert.All(Requests(member, "PATCH"), patch => Assert.Null(NotifyPreference(patch)));
        Assert.Equal("TEXT", MessageType(Assert.Single(Requests(member, "POST", "/addMessage"))));
        Assert.Equal(["points: silenced (preference)", "tier: silenced (preference)"], await NotificationTraceAsync(member));
    }

    [Fact]
    public async Task A_tier_upgrade_at_eleven_at_night_arrives_silently_and_alerts_once_after_eight()
    {
        var lateEvening = app.AdvanceTo(new TimeOnly(23, 0), Berlin);
        var member = await CreateAsync();

        await app.Processor.ProcessAsync(Event(member, 1, LoyaltyEventTypes.TierChanged, tier: "gold"), default);
        var atNight = await PassAsync(member);
        app.Factory.Time.Advance(TimeSpan.FromMinutes(30));
        await app.DeferredAlertsJob.RunOnceAsync(default); // still night: nothing due
        var stillNight = await PassAsync(member);

        // At once, silently: the pass shows the new tier without a changeMessage; Google's message does not notify.
        Assert.Equal("tier.gold", atNight.Field("headerFields", "tier").GetProperty("value").GetString());
        Assert.False(Alerts(atNight, "headerFields", "tier"));
        Assert.Equal("TEXT", MessageType(Assert.Single(Requests(member, "POST", "/addMessage"))));
        Assert.Equal(atNight.PassJson.GetRawText(), stillNight.PassJson.GetRawText());
        var morning = new DateTimeOffset(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(lateEvening, Berlin).DateTime).AddDays(1).ToDateTime(new TimeOnly(8, 0)), Berlin.GetUtcOffset(lateEvening.AddHours(9)));
        Assert.Equal([$"tier: deferred until {morning.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}"], await NotificationTraceAsync(member));

        app.AdvanceTo(new TimeOnly(8, 1), Berlin);
        await app.DeferredAlertsJob.RunOnceAsync(default);
        await app.DeferredAlertsJob.RunOnceAsync(default); // a second run (or instance) sends nothing more
        var inTheMorning = await PassAsync(member);

        // Wallet alerts for the field whose value changed: the announcement on the back, with the tier's change message.
        Assert.True(Alerts(inTheMorning, "backFields", "announcement"));
        Assert.Equal("tier.gold", inTheMorning.Field("backFields", "announcement").GetProperty("value").GetString());
        Assert.False(Alerts(inTheMorning, "headerFields", "tier"));
        // The standalone job runner may be running the same job at that moment and hold the Google write a little longer.
        await Eventually.HoldsAsync(() => Requests(member, "POST", "/addMessage").Count >= 2, "the deferred tier alert reached Google");
        var messages = Requests(member, "POST", "/addMessage");
        Assert.Equal(["TEXT", "TEXT_AND_NOTIFY"], messages.Select(MessageType));
        Assert.Equal(1, app.Fake.NotificationsSent[member.ObjectId]);
        // The job records the alert once its delivery is over: the Google sync saves its record and releases its write lease after the call.
        string[] trace = [$"tier: deferred until {morning.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}", "deferred tier: sent"];
        await Eventually.HoldsAsync(async () => (await NotificationTraceAsync(member)).SequenceEqual(trace), "the alert is in the member's delivery trace");
        Assert.Equal(trace, await NotificationTraceAsync(member));
    }

    [Fact]
    public async Task A_deferred_alert_is_decided_again_when_due_so_a_member_who_opted_out_overnight_gets_none()
    {
        app.AdvanceTo(new TimeOnly(22, 0), Berlin);
        var member = await CreateAsync();

        await app.Processor.ProcessAsync(Event(member, 1, LoyaltyEventTypes.TierChanged, tier: "gold"), default);
        await app.Processor.ProcessAsync(Event(member, 2, LoyaltyEventTypes.PreferencesChanged, notifications: "none"), default);
        app.AdvanceTo(new TimeOnly(8, 1), Berlin);
        await app.DeferredAlertsJob.RunOnceAsync(default);

        var pass = await PassAsync(member);
        var report = await _backend.GetFromJsonAsync<JsonElement>($"/api/members/{member.MemberId}/delivery");
        Assert.DoesNotContain("announcement", pass.PassJson.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(2, report.GetProperty("version").GetInt64()); // no version after the tier change
        Assert.Equal("TEXT", MessageType(Assert.Single(Requests(member, "POST", "/addMessage"))));
        Assert.Contains("deferred tier: silenced (preference)", await NotificationTraceAsync(member));
    }

    [Fact]
    public async Task A_second_deferred_upgrade_to_a_tier_announced_before_alerts_again_on_Apple_and_Google()
    {
        // Apple alerts only for a field whose value changes ("PassFieldContent.changeMessage": the message shown when
        // the field's value changes); Google only for a new TEXT_AND_NOTIFY message. Gold announced, a downgrade, and
        // gold again at night: the morning's announcement must change the field's value and add a message again.
        app.AdvanceTo(new TimeOnly(23, 0), Berlin);
        var member = await CreateAsync();
        await app.Processor.ProcessAsync(Event(member, 1, LoyaltyEventTypes.TierChanged, tier: "gold"), default);
        app.AdvanceTo(new TimeOnly(8, 1), Berlin);
        await app.DeferredAlertsJob.RunOnceAsync(default);
        await Eventually.HoldsAsync(() => app.Fake.NotificationsSent.GetValueOrDefault(member.ObjectId) == 1, "the first announcement reached Google");
        app.AdvanceTo(new TimeOnly(12, 0), Berlin);
        await app.Processor.ProcessAsync(Event(member, 2, LoyaltyEventTypes.TierChanged, tier: "silver"), default);
        var downgraded = await PassAsync(member);
        app.AdvanceTo(new TimeOnly(23, 0), Berlin);
        await app.Processor.ProcessAsync(Event(member, 3, LoyaltyEventTypes.TierChanged, tier: "gold"), default);
        var atNight = await PassAsync(member);
        app.AdvanceTo(new TimeOnly(8, 1), Berlin);
        await app.DeferredAlertsJob.RunOnceAsync(default);
        var inTheMorning = await PassAsync(member);

        // The back of a silver pass no longer claims gold.
        Assert.Equal("tier.silver", downgraded.Field("headerFields", "tier").GetProperty("value").GetString());
        Assert.DoesNotContain("\"announcement\"", downgraded.PassJson.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"announcement\"", atNight.PassJson.GetRawText(), StringComparison.Ordinal);
        Assert.True(Alerts(inTheMorning, "backFields", "announcement"));
        Assert.Equal("tier.gold", inTheMorning.Field("backFields", "announcement").GetProperty("value").GetString());
        await Eventually.HoldsAsync(() => Requests(member, "POST", "/addMessage").Count >= 5, "the second announcement reached Google");
        Assert.Equal(["TEXT", "TEXT_AND_NOTIFY", "TEXT_AND_NOTIFY", "TEXT", "TEXT_AND_NOTIFY"], Requests(member, "POST", "/addMessage").Select(MessageType)); // gold at night, announced, the downgrade, gold again, announced
    }

    [Fact]
    public async Task A_member_who_moves_to_a_zone_where_it_is_day_gets_the_deferred_alert_without_waiting_for_the_old_zones_morning()
    {
        // 23:00 in Berlin is 17:00 in New York: once the member's zone is New York, quiet hours are over for them.
        app.AdvanceTo(new TimeOnly(23, 0), Berlin);
        var member = await CreateAsync();
        await app.Processor.ProcessAsync(Event(member, 1, LoyaltyEventTypes.TierChanged, tier: "gold"), default);
        var moved = await _backend.PutAsync($"/api/members/{member.MemberId}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 100, "tier": "gold", "timeZone": "America/New_York"}"""));
        moved.EnsureSuccessStatusCode();
        app.Factory.Time.Advance(TimeSpan.FromMinutes(1));
        await app.DeferredAlertsJob.RunOnceAsync(default);

        var pass = await PassAsync(member);
        Assert.True(Alerts(pass, "backFields", "announcement"));
        await Eventually.HoldsAsync(async () => (await NotificationTraceAsync(member)).LastOrDefault() == "deferred tier: sent", "the sent alert is in the member's delivery trace"); // recorded by the delivery the job starts
    }

    [Fact]
    public async Task A_preferences_event_moving_the_member_into_their_night_holds_the_deferred_alert_until_the_new_zones_morning()
    {
        // 23:00 in Berlin is 06:00 or 07:00 the next day in Tokyo: quiet there too, but only until 08:00 Tokyo time,
        // hours before Berlin's 08:00.
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        app.AdvanceTo(new TimeOnly(23, 0), Berlin);
        var member = await CreateAsync();
        await app.Processor.ProcessAsync(Event(member, 1, LoyaltyEventTypes.TierChanged, tier: "gold"), default);
        await app.Processor.ProcessAsync(Event(member, 2, LoyaltyEventTypes.PreferencesChanged) with { TimeZone = "Asia/Tokyo" }, default);
        app.AdvanceTo(new TimeOnly(7, 59), tokyo);
        await app.DeferredAlertsJob.RunOnceAsync(default);
        var stillNight = await PassAsync(member);
        app.AdvanceTo(new TimeOnly(8, 1), tokyo);
        await app.DeferredAlertsJob.RunOnceAsync(default);

        Assert.DoesNotContain("\"announcement\"", stillNight.PassJson.GetRawText(), StringComparison.Ordinal);
        Assert.True(Alerts(await PassAsync(member), "backFields", "announcement"));
        await Eventually.HoldsAsync(async () => (await NotificationTraceAsync(member)).LastOrDefault() == "deferred tier: sent", "the sent alert is in the member's delivery trace"); // recorded by the delivery the job starts
    }

    [Fact]
    public async Task The_budget_is_one_per_pass_across_Apple_Google_member_updates_and_events()
    {
        app.AdvanceTo(new TimeOnly(12, 0), Berlin);
        var member = await CreateAsync();

        // Three alerting updates through PUT (each notifies on Apple and Google), then an event: the fourth in 24 hours.
        foreach (var points in new[] { 200, 300, 400 })
        {
            var put = await _backend.PutAsync($"/api/members/{member.MemberId}", TestMembers.Json($$"""{"displayName": "Jane Doe", "points": {{points}}, "tier": "silver"}"""));
            put.EnsureSuccessStatusCode();
            Assert.True(Alerts(await PassAsync(member), "primaryFields", "points"));
        }

        await app.Processor.ProcessAsync(Event(member, 1, LoyaltyEventTypes.PointsChanged, points: 500), default);
        var fourth = await PassAsync(member);

        Assert.Equal(500, fourth.Field("primaryFields", "points").GetProperty("value").GetInt64());
        Assert.False(Alerts(fourth, "primaryFields", "points"));
        Assert.Equal(["NOTIFY_ON_UPDATE", "NOTIFY_ON_UPDATE", "NOTIFY_ON_UPDATE", null], Requests(member, "PATCH").Select(NotifyPreference));
        Assert.Equal(["points: sent", "points: sent", "points: sent", "points: silenced (budget)"], await NotificationTraceAsync(member));
    }

    [Fact]
    public async Task A_tier_upgrade_that_meets_a_full_budget_is_announced_once_with_the_newest_tier_when_the_budget_frees()
    {
        // Google allows 3 notifications per pass in 24 hours ("Both message and update notifications are limited to 3
        // per pass within a 24-hour period": https://developers.google.com/wallet/retail/loyalty-cards/use-cases/trigger-push-notifications),
        // so the budget is full after three points alerts. Two upgrades meet it: the holder hears of the newest tier once,
        // when the first alert of the three is 24 hours old, not of gold and then platinum, and not never.
        var noon = app.AdvanceTo(new TimeOnly(12, 0), Berlin);
        var member = await CreateAsync();
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            await app.Processor.ProcessAsync(Event(member, sequence, LoyaltyEventTypes.PointsChanged, points: 100 * sequence + 100), default);
            app.Factory.Time.Advance(TimeSpan.FromMinutes(10));
        }

        await app.Processor.ProcessAsync(Event(member, 4, LoyaltyEventTypes.TierChanged, tier: "gold"), default);
        app.Factory.Time.Advance(TimeSpan.FromMinutes(10));
        await app.Processor.ProcessAsync(Event(member, 5, LoyaltyEventTypes.TierChanged, tier: "platinum"), default);
        var upgraded = await PassAsync(member);
        var frees = noon.AddDays(1);
        app.Factory.Time.SetUtcNow(frees.AddMinutes(-1));
        await app.DeferredAlertsJob.RunOnceAsync(default); // the budget is still full
        var stillFull = await PassAsync(member);
        app.Factory.Time.SetUtcNow(frees.AddMinutes(1));
        await app.DeferredAlertsJob.RunOnceAsync(default);
        await app.DeferredAlertsJob.RunOnceAsync(default); // a second run (or instance) sends nothing more
        var announced = await PassAsync(member);

        Assert.Equal("tier.platinum", upgraded.Field("headerFields", "tier").GetProperty("value").GetString());
        Assert.False(Alerts(upgraded, "headerFields", "tier"));
        Assert.DoesNotContain("\"announcement\"", stillFull.PassJson.GetRawText(), StringComparison.Ordinal);
        Assert.True(Alerts(announced, "backFields", "announcement"));
        Assert.Equal("tier.platinum", announced.Field("backFields", "announcement").GetProperty("value").GetString());
        await Eventually.HoldsAsync(() => Requests(member, "POST", "/addMessage").Count >= 3, "the announcement reached Google");
        Assert.Equal(["TEXT", "TEXT", "TEXT_AND_NOTIFY"], Requests(member, "POST", "/addMessage").Select(MessageType)); // gold, platinum, the announcement
        Assert.Equal(3, app.Fake.NotificationsSent[member.ObjectId]); // Google's last 24 hours: the 12:10 and 12:20 points updates and the announcement
        var deferred = $"tier: deferred until {frees.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}";
        string[] trace = ["points: sent", "points: sent", "points: sent", deferred, deferred, "deferred tier: sent"];
        await Eventually.HoldsAsync(async () => (await NotificationTraceAsync(member)).SequenceEqual(trace), "the alert is in the member's delivery trace");
    }

    [Fact]
    public async Task Settings_are_validated_and_a_put_that_changes_only_them_makes_no_new_pass_version()
    {
        app.AdvanceTo(new TimeOnly(12, 0), Berlin);
        var member = await CreateAsync();
        var before = (await TestMembers.GetAsync(_backend, member.MemberId))!.Value;

        var badPreference = await _backend.PutAsync($"/api/members/{member.MemberId}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 100, "tier": "silver", "notifications": "loud"}"""));
        var badZone = await _backend.PutAsync($"/api/members/{member.MemberId}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 100, "tier": "silver", "timeZone": "Mars/Olympus_Mons"}"""));
        var zoneDirectory = await _backend.PutAsync($"/api/members/{member.MemberId}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 100, "tier": "silver", "timeZone": "Europe"}""")); // a directory of tzdata
        var quieter = await _backend.PutAsync($"/api/members/{member.MemberId}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 100, "tier": "silver", "notifications": "important", "timeZone": "America/New_York"}"""));
        var after = await quieter.Content.ReadFromJsonAsync<JsonElement>();
        var badEvent = await _backend.PostAsync("/api/loyalty-events", TestMembers.Json($$"""{"eventId": "evt-{{Guid.NewGuid():N}}", "memberId": "{{member.MemberId}}", "sequence": 1, "occurredAt": "2026-12-03T10:00:00Z", "type": "preferences.changed", "timeZone": "Berlin"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, badPreference.StatusCode);
        Assert.Contains("notifications", await badPreference.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badZone.StatusCode);
        Assert.Contains("timeZone", await badZone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, zoneDirectory.StatusCode);
        Assert.Contains("timeZone", await zoneDirectory.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badEvent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, quieter.StatusCode);
        Assert.Equal("important", after.GetProperty("notifications").GetString());
        Assert.Equal("America/New_York", after.GetProperty("timeZone").GetString());
        var report = await _backend.GetFromJsonAsync<JsonElement>($"/api/members/{member.MemberId}/delivery");
        Assert.Equal(1, report.GetProperty("version").GetInt64()); // the pass did not change
        Assert.Equal(before.GetProperty("apple").GetProperty("serialNumber").GetString(), after.GetProperty("apple").GetProperty("serialNumber").GetString());

        // docs/contract.md: "timeZone": "" drops the member's zone, so the deployment's default applies again (before,
        // "" was a 400 and a member could never go back to the default).
        var defaultZone = await _backend.PutAsync($"/api/members/{member.MemberId}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 100, "tier": "silver", "timeZone": ""}"""));
        Assert.Equal(HttpStatusCode.OK, defaultZone.StatusCode);
        var reset = await defaultZone.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(reset.TryGetProperty("timeZone", out _));
        Assert.Equal("important", reset.GetProperty("notifications").GetString()); // left out: kept
    }
}
