using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Events;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Events;

public sealed class EventProcessingTests(PollingFixture app) : IClassFixture<PollingFixture>
{
    private readonly HttpClient _backend = app.Factory.CreateBackendClient();

    private LoyaltyEventProcessor Processor => app.Factory.Services.GetRequiredService<LoyaltyEventProcessor>();

    private QueueClient Queue(string name) => new(app.Azurite.ConnectionString, app.Factory.StoragePrefix + name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    private static LoyaltyEvent Event(string memberId, long sequence, long? points = null, string? tier = null, string? displayName = null, string? eventId = null) =>
        new(eventId ?? $"evt-{Guid.NewGuid():N}", memberId, sequence, DateTimeOffset.UtcNow, LoyaltyEventTypes.PointsChanged, points, tier, displayName, null, null, null);

    [Fact]
    public async Task A_posted_points_event_reaches_the_member_and_their_pass()
    {
        var memberId = TestMembers.NewId();
        var created = await TestMembers.CreateAsync(_backend, memberId, points: 1000);

        var response = await _backend.PostAsync("/api/loyalty-events", TestMembers.Json(TestMembers.PointsEvent(memberId, 1, 1300)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await TestMembers.WaitForAsync(_backend, memberId, m => m.GetProperty("points").GetInt64() == 1300);
        var pass = new PkPass(await app.Factory.CreateClient().GetByteArrayAsync(created.GetProperty("apple").GetProperty("passUrl").GetString()));
        Assert.Equal(1300, pass.Field("primaryFields", "points").GetProperty("value").GetInt64());
        Assert.Equal("change.points", pass.Field("primaryFields", "points").GetProperty("changeMessage").GetString());
    }

    [Fact]
    public async Task A_backend_may_put_events_straight_on_the_queue()
    {
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(_backend, memberId);

        await Queue("loyalty-events").SendMessageAsync($$"""{"eventId": "evt-q1", "memberId": "{{memberId}}", "sequence": 3, "occurredAt": "2026-11-23T10:00:00Z", "type": "tier.changed", "tier": "gold"}""");

        await TestMembers.WaitForAsync(_backend, memberId, m => m.GetProperty("tier").GetString() == "gold");
    }

    [Fact]
    public async Task An_event_id_takes_effect_once_however_often_it_is_delivered()
    {
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(_backend, memberId, points: 1000);

        Assert.Equal(EventOutcome.Applied, await Processor.ProcessAsync(Event(memberId, 1, points: 500, eventId: "evt-once"), default));
        Assert.Equal(EventOutcome.Duplicate, await Processor.ProcessAsync(Event(memberId, 1, points: 500, eventId: "evt-once"), default));
        Assert.Equal(EventOutcome.Duplicate, await Processor.ProcessAsync(Event(memberId, 2, points: 900, eventId: "evt-once"), default));

        var member = await TestMembers.GetAsync(_backend, memberId);
        Assert.Equal(500, member!.Value.GetProperty("points").GetInt64());
    }

    [Fact]
    public async Task A_late_event_never_overwrites_a_newer_value_but_applies_what_no_newer_event_set()
    {
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(_backend, memberId, points: 1000);

        await Processor.ProcessAsync(Event(memberId, 10, points: 1300, tier: "gold"), default);
        var late = await Processor.ProcessAsync(Event(memberId, 9, points: 1200, tier: "silver", displayName: "Jane Late"), default);
        var stale = await Processor.ProcessAsync(Event(memberId, 8, points: 1100), default);

        var member = (await TestMembers.GetAsync(_backend, memberId))!.Value;
        Assert.Equal(1300, member.GetProperty("points").GetInt64());
        Assert.Equal("gold", member.GetProperty("tier").GetString());
        Assert.Equal("Jane Late", member.GetProperty("displayName").GetString());
        Assert.Equal(EventOutcome.Applied, late);
        Assert.Equal(EventOutcome.Unchanged, stale);
    }

    [Fact]
    public async Task Concurrent_events_for_one_member_lose_no_update()
    {
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(_backend, memberId, points: 0);

        // Points from even sequences, names from odd ones, all at once: the highest sequence of each must win.
        var outcomes = await Task.WhenAll(Enumerable.Range(1, 24).Select(sequence => Task.Run(() => Processor.ProcessAsync(
            sequence % 2 == 0 ? Event(memberId, sequence, points: sequence * 10) : Event(memberId, sequence, displayName: $"Name {sequence}"), default))));

        var member = (await TestMembers.GetAsync(_backend, memberId))!.Value;
        Assert.Equal(240, member.GetProperty("points").GetInt64());
        Assert.Equal("Name 23", member.GetProperty("displayName").GetString());
        Assert.DoesNotContain(EventOutcome.Duplicate, outcomes);
    }

    [Fact]
    public async Task The_fourth_alert_of_a_day_updates_the_pass_silently()
    {
        var memberId = TestMembers.NewId();
        var created = await TestMembers.CreateAsync(_backend, memberId, points: 0);
        var link = created.GetProperty("apple").GetProperty("passUrl").GetString();
        var customer = app.Factory.CreateClient();

        var changeMessages = new List<bool>();
        for (var sequence = 1; sequence <= 4; sequence++)
        {
            await Processor.ProcessAsync(Event(memberId, sequence, points: sequence * 100), default);
            var pass = new PkPass(await customer.GetByteArrayAsync(link));
            Assert.Equal(sequence * 100, pass.Field("primaryFields", "points").GetProperty("value").GetInt64());
            changeMessages.Add(pass.Field("primaryFields", "points").TryGetProperty("changeMessage", out _));
        }

        Assert.Equal([true, true, true, false], changeMessages);
    }

    [Fact]
    public async Task An_offer_appears_on_the_back_of_the_pass_and_leaves_when_withdrawn()
    {
        var memberId = TestMembers.NewId();
        var created = await TestMembers.CreateAsync(_backend, memberId);
        var link = created.GetProperty("apple").GetProperty("passUrl").GetString();
        var published = new LoyaltyEvent("evt-offer-1", memberId, 1, DateTimeOffset.UtcNow, LoyaltyEventTypes.OfferPublished, null, null, null, null, null, new OfferInput("winter", "Winter drop", "Early access Friday", null));

        await Processor.ProcessAsync(published, default);
        var withOffer = new PkPass(await app.Factory.CreateClient().GetByteArrayAsync(link));
        await Processor.ProcessAsync(published with { EventId = "evt-offer-2", Sequence = 2, Type = LoyaltyEventTypes.OfferWithdrawn, Offer = new OfferInput("winter", null, null, null) }, default);
        var withdrawn = new PkPass(await app.Factory.CreateClient().GetByteArrayAsync(link));

        var offer = withOffer.Field("backFields", "offer-winter");
        Assert.Equal("Winter drop\nEarly access Friday", offer.GetProperty("value").GetString());
        Assert.Equal("New offer: %@", withOffer.Strings("en")[offer.GetProperty("changeMessage").GetString()!]);
        Assert.DoesNotContain("offer-winter", withdrawn.PassJson.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_for_an_unknown_member_goes_to_the_poison_queue()
    {
        var memberId = TestMembers.NewId();

        await _backend.PostAsync("/api/loyalty-events", TestMembers.Json(TestMembers.PointsEvent(memberId, 1, 5)));

        await WaitForPoisonedAsync(memberId);
    }

    [Fact]
    public async Task An_event_that_keeps_failing_is_poisoned_after_five_deliveries_without_touching_the_member()
    {
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(_backend, memberId, points: 42);
        // Corrupt the member's stored event state so processing throws on every delivery.
        var members = new TableClient(app.Azurite.ConnectionString, app.Factory.StoragePrefix + "members");
        var row = (await members.GetEntityAsync<TableEntity>(memberId, "member")).Value;
        row["EventStateJson"] = "{not json";
        await members.UpdateEntityAsync(row, row.ETag);

        await _backend.PostAsync("/api/loyalty-events", TestMembers.Json(TestMembers.PointsEvent(memberId, 1, 5)));

        await WaitForPoisonedAsync(memberId);
        row = (await members.GetEntityAsync<TableEntity>(memberId, "member")).Value;
        Assert.Equal(42L, row.GetInt64("Points"));
        Assert.Equal("{not json", row.GetString("EventStateJson"));
    }

    [Fact]
    public async Task Deleting_a_member_voids_the_pass_erases_personal_data_and_is_idempotent()
    {
        var memberId = TestMembers.NewId();
        var created = await TestMembers.CreateAsync(_backend, memberId, points: 1250, tier: "gold");
        await _backend.PutAsync($"/api/members/{memberId}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 1250, "tier": "gold", "referralUrl": "https://shop.example/r/JANE10"}"""));

        var deleted = await _backend.DeleteAsync($"/api/members/{memberId}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _backend.GetAsync($"/api/members/{memberId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _backend.DeleteAsync($"/api/members/{memberId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _backend.DeleteAsync($"/api/members/{TestMembers.NewId()}")).StatusCode);
        var pass = new PkPass(await app.Factory.CreateClient().GetByteArrayAsync(created.GetProperty("apple").GetProperty("passUrl").GetString()));
        Assert.True(pass.PassJson.GetProperty("voided").GetBoolean());
        Assert.DoesNotContain("Jane", pass.PassJson.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("JANE10", pass.PassJson.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(EventOutcome.ErasedMember, await Processor.ProcessAsync(Event(memberId, 99, points: 5), default));

        var recreated = await TestMembers.CreateAsync(_backend, memberId, points: 10);
        Assert.NotEqual(created.GetProperty("apple").GetProperty("serialNumber").GetString(), recreated.GetProperty("apple").GetProperty("serialNumber").GetString());
    }

    private async Task WaitForPoisonedAsync(string memberId)
    {
        var poison = Queue("loyalty-events-poison");
        await Eventually.HoldsAsync(
            async () => (await poison.PeekMessagesAsync(32)).Value.Any(m => m.MessageText.Contains(memberId, StringComparison.Ordinal)),
            "the event reaches the poison queue",
            within: TimeSpan.FromSeconds(45),
            interval: TimeSpan.FromMilliseconds(100));

        Assert.DoesNotContain((await Queue("loyalty-events").PeekMessagesAsync(32)).Value, m => m.MessageText.Contains(memberId, StringComparison.Ordinal));
    }

    /// <summary>
    /// A backend PUTs the member as it is after its event 18 while event 17 still waits on the queue: with the PUT's
    /// <c>sequence</c>, the older event, applied after the PUT, no longer takes the pass back to 17's balance.
    /// </summary>
    [Fact]
    public async Task An_older_event_applied_after_a_sequenced_put_does_not_overwrite_it()
    {
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(_backend, memberId, points: 1000);
        await Processor.ProcessAsync(Event(memberId, 16, points: 1100), default);

        var put = await _backend.PutAsync($"/api/members/{memberId}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 1400, "tier": "gold", "sequence": 18}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await Processor.ProcessAsync(Event(memberId, 17, points: 1300, tier: "silver"), default);

        var member = (await TestMembers.GetAsync(_backend, memberId))!.Value;
        Assert.Equal(1400, member.GetProperty("points").GetInt64());
        Assert.Equal("gold", member.GetProperty("tier").GetString());
        await Processor.ProcessAsync(Event(memberId, 19, points: 1500), default);
        Assert.Equal(1500, (await TestMembers.GetAsync(_backend, memberId))!.Value.GetProperty("points").GetInt64());
    }

    /// <summary>
    /// The member opts out of alerts in the backend, which PUTs them as of its event 18 while its event 17 (opted in,
    /// another zone) still waits on the queue: the older event no longer undoes the newer preference and time zone.
    /// </summary>
    [Fact]
    public async Task An_older_event_applied_after_a_sequenced_put_does_not_undo_its_notification_preference_or_time_zone()
    {
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(_backend, memberId, points: 1000);

        var put = await _backend.PutAsync($"/api/members/{memberId}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 1000, "tier": "silver", "notifications": "none", "timeZone": "Europe/Berlin", "sequence": 18}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await Processor.ProcessAsync(Event(memberId, 17) with { Type = LoyaltyEventTypes.PreferencesChanged, Notifications = "all", TimeZone = "America/New_York" }, default);

        // Before the fix: "all" and New York, and the member who opted out got lock-screen alerts again.
        var member = (await TestMembers.GetAsync(_backend, memberId))!.Value;
        Assert.Equal("none", member.GetProperty("notifications").GetString());
        Assert.Equal("Europe/Berlin", member.GetProperty("timeZone").GetString());
    }

    /// <summary>A sequenced PUT older than the event that set the preference keeps that event's preference.</summary>
    [Fact]
    public async Task A_sequenced_put_older_than_a_preference_event_keeps_that_events_preference()
    {
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(_backend, memberId, points: 1000);
        await Processor.ProcessAsync(Event(memberId, 20) with { Type = LoyaltyEventTypes.PreferencesChanged, Notifications = "important" }, default);

        var put = await _backend.PutAsync($"/api/members/{memberId}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 1000, "tier": "silver", "notifications": "all", "sequence": 19}"""));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("important", (await TestMembers.GetAsync(_backend, memberId))!.Value.GetProperty("notifications").GetString());
    }

    /// <summary>A sequenced PUT older than an applied event keeps that event's fields and applies the others.</summary>
    [Fact]
    public async Task A_sequenced_put_older_than_an_applied_event_keeps_that_events_fields()
    {
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(_backend, memberId, points: 1000);
        await Processor.ProcessAsync(Event(memberId, 20, points: 2000), default);

        var put = await _backend.PutAsync($"/api/members/{memberId}", TestMembers.Json("""{"displayName": "Jane Renamed", "points": 1900, "tier": "silver", "sequence": 19}"""));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var member = (await TestMembers.GetAsync(_backend, memberId))!.Value;
        Assert.Equal(2000, member.GetProperty("points").GetInt64());
        Assert.Equal("Jane Renamed", member.GetProperty("displayName").GetString());
    }

    /// <summary>Without <c>sequence</c>, a PUT is as it was: it replaces every field, and events above the fields' sequences still apply.</summary>
    [Fact]
    public async Task A_put_without_sequence_replaces_the_fields_as_it_arrives()
    {
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(_backend, memberId, points: 1000);
        await Processor.ProcessAsync(Event(memberId, 20, points: 2000), default);

        await _backend.PutAsync($"/api/members/{memberId}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 1900, "tier": "silver"}"""));

        Assert.Equal(1900, (await TestMembers.GetAsync(_backend, memberId))!.Value.GetProperty("points").GetInt64());
    }

    [Fact]
    public async Task A_negative_put_sequence_is_a_400_naming_it()
    {
        var memberId = TestMembers.NewId();

        var put = await _backend.PutAsync($"/api/members/{memberId}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 1, "tier": "silver", "sequence": -1}"""));

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.True(JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("sequence", out _));
        Assert.Null(await TestMembers.GetAsync(_backend, memberId));
    }
}
