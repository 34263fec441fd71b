using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WalletPasses.Delivery;
using WalletPasses.Members;
using WalletPasses.Storage;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Notifications;

namespace WalletPasses.Tests.Delivery;

/// <summary>
/// An offer published with <c>expiresAt</c> leaves the Apple pass at that time, not at the member's next change. Apple
/// Wallet has no expiry per field (the Pass reference has only the whole pass's <c>expirationDate</c>,
/// https://developer.apple.com/documentation/walletpasses/pass), and a device asks for a new version only after a push
/// ("Adding a Web Service to Update Passes": a push, then the list of updatable passes, then the pass), so the service
/// pushes a version of its own at expiry. Devices speak Apple's PassKit web service (<see cref="SimulatedDevice"/>);
/// Wallet alerts for a changed field only when it has a <c>changeMessage</c> (Apple, "PassFieldContent"); Google
/// Wallet notifies only for <c>NOTIFY_ON_UPDATE</c> or a <c>TEXT_AND_NOTIFY</c> message
/// (https://developers.google.com/wallet/retail/loyalty-cards/use-cases/trigger-push-notifications).
/// </summary>
public sealed class OfferExpiryJobTests(NotificationAppFixture app) : IClassFixture<NotificationAppFixture>
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private readonly HttpClient _backend = app.Factory.CreateBackendClient();

    private OfferExpiryJob Job => app.Factory.Services.GetRequiredService<OfferExpiryJob>();

    private sealed record Holder(InstalledPass Pass, SimulatedDevice Device, string ObjectId);

    /// <summary>A member whose pass is installed on a registered phone, and on Google Wallet.</summary>
    private async Task<Holder> InstalledAsync()
    {
        var memberId = TestMembers.NewId();
        var created = await _backend.PutAsync($"/api/members/{memberId}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 100, "tier": "silver", "timeZone": "Europe/Berlin"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var document = await created.Content.ReadFromJsonAsync<JsonElement>();
        var pkpass = new PkPass(await app.Factory.CreateClient().GetByteArrayAsync(document.GetProperty("apple").GetProperty("passUrl").GetString()));
        var pass = new InstalledPass(
            memberId,
            pkpass.PassJson.GetProperty("serialNumber").GetString()!,
            pkpass.PassJson.GetProperty("passTypeIdentifier").GetString()!,
            pkpass.PassJson.GetProperty("authenticationToken").GetString()!,
            pkpass.PassJson.GetProperty("webServiceURL").GetString()!);
        var device = new SimulatedDevice(app.Factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        return new Holder(pass, device, document.GetProperty("google").GetProperty("objectId").GetString()!);
    }

    private async Task PostAsync(string memberId, long sequence, string type, string offer)
    {
        var body = $$"""{"eventId": "evt-{{Guid.NewGuid():N}}", "memberId": "{{memberId}}", "sequence": {{sequence}}, "occurredAt": "{{app.Factory.Time.GetUtcNow():O}}", "type": "{{type}}", "offer": {{offer}}}""";
        Assert.Equal(HttpStatusCode.Accepted, (await _backend.PostAsync("/api/loyalty-events", TestMembers.Json(body))).StatusCode);
    }

    private static string Offer(string id, DateTimeOffset expiresAt) =>
        $$"""{"id": "{{id}}", "title": "Free pastry", "text": "Until Sunday", "expiresAt": "{{expiresAt:O}}"}""";

    private async Task<long> VersionAsync(string memberId) =>
        (await app.Factory.Services.GetRequiredService<StorageClients>().Members.GetEntityAsync<MemberEntity>(memberId, MemberEntity.RowKeyValue)).Value.PassVersion;

    /// <summary>The pass as the phone fetches it after a push: it asks what changed, then fetches the pass.</summary>
    private static async Task<PkPass> RefetchAsync(Holder holder)
    {
        Assert.Contains(holder.Pass.SerialNumber, (await holder.Device.ListChangedAsync(holder.Pass)).SerialNumbers);
        var response = await holder.Device.FetchPassAsync(holder.Pass);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new PkPass(await response.Content.ReadAsByteArrayAsync());
    }

    private static string[] BackFieldKeys(PkPass pass) =>
        [.. pass.PassJson.GetProperty("storeCard").GetProperty("backFields").EnumerateArray().Select(f => f.GetProperty("key").GetString()!)];

    private static int PushesTo(Holder holder) => SharedApns.Emulator.Pushes.Count(p => p.PushToken == holder.Device.PushToken);

    private IReadOnlyList<JsonObject> GoogleRequests(Holder holder, string method, string pathEnd = "") =>
        [.. app.Fake.ApiRequests.Where(r => r.Method == method && r.Path.EndsWith(holder.ObjectId + pathEnd, StringComparison.Ordinal)).Select(r => JsonNode.Parse(r.Body)!.AsObject())];

    private int GoogleNotifications(Holder holder) => app.Fake.NotificationsSent.GetValueOrDefault(holder.ObjectId);

    private async Task WaitForVersionAsync(string memberId, long version) =>
        await Eventually.HoldsAsync(async () => await VersionAsync(memberId) >= version, $"member {memberId} reaches version {version}");

    [Fact]
    public async Task An_expired_offer_leaves_the_phone_and_Google_at_its_expiry_silently_and_other_members_are_not_touched()
    {
        app.AdvanceTo(new TimeOnly(12, 0), Berlin); // daytime: the publication itself alerts
        var jane = await InstalledAsync();
        var other = await InstalledAsync();
        var start = app.Factory.Time.GetUtcNow();
        await PostAsync(jane.Pass.MemberId, 1, "offer.published", Offer("pastry", start.AddHours(1)));
        await PostAsync(other.Pass.MemberId, 1, "offer.published", Offer("later", start.AddHours(3)));
        await WaitForVersionAsync(jane.Pass.MemberId, 2);
        await WaitForVersionAsync(other.Pass.MemberId, 2);
        var published = await RefetchAsync(jane);
        Assert.Contains("offer-pastry", BackFieldKeys(published));
        Assert.True(published.Field("backFields", "offer-pastry").TryGetProperty("changeMessage", out _)); // news when published
        await Eventually.HoldsAsync(() => Task.FromResult(GoogleRequests(jane, "POST", "/addMessage").Count == 1), "the offer reached Google");
        var (janePushes, otherPushes, otherVersion) = (PushesTo(jane), PushesTo(other), await VersionAsync(other.Pass.MemberId));
        var (googlePatches, googleMessages, googleNotifications) = (GoogleRequests(jane, "PATCH").Count, GoogleRequests(jane, "POST", "/addMessage").Count, GoogleNotifications(jane));

        app.Factory.Time.Advance(TimeSpan.FromMinutes(59));
        await Job.RunOnceAsync(default); // not expired yet
        Assert.Equal(2, await VersionAsync(jane.Pass.MemberId));

        app.Factory.Time.Advance(TimeSpan.FromMinutes(2));
        await Job.RunOnceAsync(default);
        await Job.RunOnceAsync(default); // a second run (or instance) makes no other version

        await Eventually.HoldsAsync(() => Task.FromResult(PushesTo(jane) == janePushes + 1), "the phone is pushed the version without the offer");
        Assert.Equal(3, await VersionAsync(jane.Pass.MemberId));
        var expired = await RefetchAsync(jane);
        Assert.DoesNotContain("offer-pastry", BackFieldKeys(expired));
        Assert.DoesNotContain("changeMessage", expired.PassJson.GetRawText(), StringComparison.Ordinal); // no lock-screen alert

        // Google: the object without the offer's message, written once, silently, and no message added.
        await Eventually.HoldsAsync(() => Task.FromResult(GoogleRequests(jane, "PATCH").Count == googlePatches + 1), "Google heard of the version");
        var patch = GoogleRequests(jane, "PATCH")[^1];
        Assert.Null(patch["notifyPreference"]);
        Assert.DoesNotContain("pastry", patch["messages"]?.ToJsonString() ?? "", StringComparison.Ordinal);
        Assert.Equal(googleMessages, GoogleRequests(jane, "POST", "/addMessage").Count);
        Assert.Equal(googleNotifications, GoogleNotifications(jane));

        // The member whose offer runs longer: no version, no push.
        Assert.Equal(otherVersion, await VersionAsync(other.Pass.MemberId));
        Assert.Equal(otherPushes, PushesTo(other));

        await app.Factory.Services.GetRequiredService<DeliveryTrace>().FlushAsync(default);
        var report = await _backend.GetFromJsonAsync<JsonElement>($"/api/members/{jane.Pass.MemberId}/delivery");
        Assert.Contains(report.GetProperty("timeline").EnumerateArray(), row =>
            row.GetProperty("kind").GetString() == DeliveryTraceKinds.Notification && row.GetProperty("detail").GetString() == OfferExpiryJob.NotificationDescription);
    }

    [Fact]
    public async Task With_OfferExpiryMaxPerRun_at_one_an_offer_expired_for_two_members_leaves_one_pass_a_run()
    {
        app.AdvanceTo(new TimeOnly(12, 0), Berlin);
        app.Factory.Time.Advance(TimeSpan.FromDays(1));
        await Job.RunOnceAsync(default); // what earlier tests left due goes first (their offers expire within hours)
        var first = await InstalledAsync();
        var second = await InstalledAsync();
        var expiresAt = app.Factory.Time.GetUtcNow().AddHours(1);
        await PostAsync(first.Pass.MemberId, 1, "offer.published", Offer("pastry", expiresAt));
        await PostAsync(second.Pass.MemberId, 1, "offer.published", Offer("pastry", expiresAt));
        await WaitForVersionAsync(first.Pass.MemberId, 2);
        await WaitForVersionAsync(second.Pass.MemberId, 2);
        var oneAtATime = ActivatorUtilities.CreateInstance<OfferExpiryJob>(app.Factory.Services, Options.Create(new DeliveryOptions { OfferExpiryMaxPerRun = 1 }));
        async Task<long[]> VersionsAsync()
        {
            var (firstVersion, secondVersion) = (await VersionAsync(first.Pass.MemberId), await VersionAsync(second.Pass.MemberId));
            return [firstVersion, secondVersion];
        }

        app.Factory.Time.Advance(TimeSpan.FromMinutes(61));
        await oneAtATime.RunOnceAsync(default);

        var afterOneRun = await VersionsAsync();
        Assert.Equal([2L, 3L], afterOneRun.Order().ToArray()); // one pass lost the offer, the other still shows it

        await oneAtATime.RunOnceAsync(default);

        var afterTwoRuns = await VersionsAsync();
        Assert.Equal([3L, 3L], afterTwoRuns);
        Assert.DoesNotContain("offer-pastry", BackFieldKeys(await RefetchAsync(first)));
        Assert.DoesNotContain("offer-pastry", BackFieldKeys(await RefetchAsync(second)));
    }

    [Fact]
    public async Task An_offer_withdrawn_or_published_again_with_a_later_expiry_makes_no_version_at_the_first_expiry()
    {
        app.AdvanceTo(new TimeOnly(12, 0), Berlin);
        var withdrawn = await InstalledAsync();
        var extended = await InstalledAsync();
        var start = app.Factory.Time.GetUtcNow();
        await PostAsync(withdrawn.Pass.MemberId, 1, "offer.published", Offer("pastry", start.AddHours(1)));
        await PostAsync(extended.Pass.MemberId, 1, "offer.published", Offer("pastry", start.AddHours(1)));
        await WaitForVersionAsync(withdrawn.Pass.MemberId, 2);
        await WaitForVersionAsync(extended.Pass.MemberId, 2);
        await PostAsync(withdrawn.Pass.MemberId, 2, "offer.withdrawn", """{"id": "pastry"}""");
        await PostAsync(extended.Pass.MemberId, 2, "offer.published", Offer("pastry", start.AddHours(5)));
        await WaitForVersionAsync(withdrawn.Pass.MemberId, 3);
        await WaitForVersionAsync(extended.Pass.MemberId, 3);

        app.Factory.Time.Advance(TimeSpan.FromMinutes(61));
        await Job.RunOnceAsync(default);

        Assert.Equal(3, await VersionAsync(withdrawn.Pass.MemberId));
        Assert.Equal(3, await VersionAsync(extended.Pass.MemberId));
        Assert.Contains("offer-pastry", BackFieldKeys(await RefetchAsync(extended)));

        app.Factory.Time.Advance(TimeSpan.FromHours(4));
        await Job.RunOnceAsync(default);

        Assert.Equal(4, await VersionAsync(extended.Pass.MemberId)); // at the later expiry
        Assert.DoesNotContain("offer-pastry", BackFieldKeys(await RefetchAsync(extended)));
        Assert.Equal(3, await VersionAsync(withdrawn.Pass.MemberId));
    }

    [Fact]
    public async Task An_erased_member_with_an_expiring_offer_gets_no_version_and_leaves_no_due_row()
    {
        app.AdvanceTo(new TimeOnly(12, 0), Berlin);
        var erased = await InstalledAsync();
        await PostAsync(erased.Pass.MemberId, 1, "offer.published", Offer("pastry", app.Factory.Time.GetUtcNow().AddHours(1)));
        await WaitForVersionAsync(erased.Pass.MemberId, 2);
        Assert.Equal(HttpStatusCode.NoContent, (await _backend.DeleteAsync($"/api/members/{erased.Pass.MemberId}")).StatusCode);
        var afterErasure = await VersionAsync(erased.Pass.MemberId);

        app.Factory.Time.Advance(TimeSpan.FromMinutes(61));
        await Job.RunOnceAsync(default);

        Assert.Equal(afterErasure, await VersionAsync(erased.Pass.MemberId));
        var due = app.Factory.Services.GetRequiredService<StorageClients>().Table(StorageNames.OfferExpiriesTable);
        Assert.False((await due.GetEntityIfExistsAsync<OfferExpiryDueEntity>(erased.Pass.MemberId, "")).HasValue);
    }

    [Fact]
    public async Task An_offer_published_before_the_due_index_leaves_on_time_once_the_backend_publishes_it_again()
    {
        app.AdvanceTo(new TimeOnly(12, 0), Berlin);
        var jane = await InstalledAsync();
        var expiresAt = app.Factory.Time.GetUtcNow().AddHours(1);
        await PostAsync(jane.Pass.MemberId, 1, "offer.published", Offer("pastry", expiresAt));
        await WaitForVersionAsync(jane.Pass.MemberId, 2);
        // As a release before the index left it: the offer on the member, no due row.
        var due = app.Factory.Services.GetRequiredService<StorageClients>().Table(StorageNames.OfferExpiriesTable);
        await due.DeleteEntityAsync(jane.Pass.MemberId, "");

        await PostAsync(jane.Pass.MemberId, 2, "offer.published", Offer("pastry", expiresAt)); // the same offer again (README, Upgrading)
        await Eventually.HoldsAsync(async () => (await due.GetEntityIfExistsAsync<OfferExpiryDueEntity>(jane.Pass.MemberId, "")).HasValue, "the due row is written again");
        Assert.Equal(2, await VersionAsync(jane.Pass.MemberId)); // nothing the holder sees changed

        app.Factory.Time.Advance(TimeSpan.FromMinutes(61));
        await Job.RunOnceAsync(default);

        Assert.Equal(3, await VersionAsync(jane.Pass.MemberId));
        Assert.DoesNotContain("offer-pastry", BackFieldKeys(await RefetchAsync(jane)));
    }
}
