using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Events;
using WalletPasses.Google;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Google;

/// <summary>Members' Google objects end to end: issue, save link, live updates, notifications, erasure.</summary>
public sealed class GoogleWalletPassTests(GoogleAppFixture app) : IClassFixture<GoogleAppFixture>
{
    private async Task<(string MemberId, string ObjectId, JsonElement Document)> CreateMemberAsync(string? body = null)
    {
        var memberId = TestMembers.NewId();
        var document = body is null ? await app.CreateMemberAsync(memberId) : await app.CreateMemberAsync(memberId, body);
        return (memberId, document.GetProperty("google").GetProperty("objectId").GetString()!, document);
    }

    private int? Balance(string objectId) => app.StoredObject(objectId)?["loyaltyPoints"]?["balance"]?["int"]?.GetValue<int>();

    private static string? NotifyPreference(JsonObject body) => body["notifyPreference"]?.GetValue<string>();

    [Fact]
    public async Task Creating_a_member_inserts_the_object_before_answering_with_a_save_url_that_redirects_to_a_signed_skinny_jwt()
    {
        var (memberId, objectId, document) = await CreateMemberAsync();
        var serialNumber = document.GetProperty("apple").GetProperty("serialNumber").GetString();

        Assert.Equal($"{GoogleWalletTestData.IssuerId}.{serialNumber}", objectId);
        var stored = app.StoredObject(objectId); // no waiting: the answer came after the insert
        Assert.NotNull(stored);
        Assert.Equal("ACTIVE", stored["state"]!.GetValue<string>());
        Assert.Equal(GoogleAppFixture.ClassId, stored["classId"]!.GetValue<string>());
        Assert.Equal(memberId, stored["accountId"]!.GetValue<string>());
        Assert.Equal("Jane Doe", stored["accountName"]!.GetValue<string>());
        Assert.Equal("Points", stored["loyaltyPoints"]!["label"]!.GetValue<string>());
        Assert.Equal(1000, Balance(objectId));
        Assert.Equal("QR_CODE", stored["barcode"]!["type"]!.GetValue<string>());
        var appleBarcode = new PkPass(await app.CreateCustomerClient().GetByteArrayAsync(document.GetProperty("apple").GetProperty("passUrl").GetString()))
            .PassJson.GetProperty("barcodes")[0].GetProperty("message").GetString();
        Assert.Equal(appleBarcode, stored["barcode"]!["value"]!.GetValue<string>());
        Assert.Equal("https://shop.example/r/JANE10", stored["linksModuleData"]!["uris"]![0]!["uri"]!.GetValue<string>());
        Assert.Equal("Give $10, get $10", stored["linksModuleData"]!["uris"]![0]!["description"]!.GetValue<string>());

        var saveUrl = document.GetProperty("google").GetProperty("saveUrl").GetString()!;
        Assert.StartsWith($"{WalletPassesFactory.PublicBaseUrl}/api/google/save/{serialNumber}?expires=", saveUrl, StringComparison.Ordinal);
        var redirect = await app.CreateCustomerClient().GetAsync(saveUrl);

        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        var location = redirect.Headers.Location!.AbsoluteUri;
        Assert.StartsWith(SaveJwtBuilder.SaveUrlPrefix, location, StringComparison.Ordinal);
        Assert.True(location.Length < 1800, $"The save URL has {location.Length} characters.");
        var jwt = location[SaveJwtBuilder.SaveUrlPrefix.Length..].Split('.');
        Assert.Equal("RS256", Decode(jwt[0])["alg"]!.GetValue<string>());
        var claims = Decode(jwt[1]);
        Assert.Equal(GoogleWalletFake.ServiceAccountEmail, claims["iss"]!.GetValue<string>());
        Assert.Equal("google", claims["aud"]!.GetValue<string>());
        Assert.Equal("savetowallet", claims["typ"]!.GetValue<string>());
        // No origins configured: the public base URL's origin (so the button shows on the service's own pages).
        Assert.Equal([WalletPassesFactory.PublicBaseUrl], claims["origins"]!.AsArray().Select(origin => origin!.GetValue<string>()));
        // The JWT lives as long as the signed link it was minted for (issue 16).
        Assert.Equal(long.Parse(new Uri(saveUrl).Query.Split('&')[0]["?expires=".Length..], CultureInfo.InvariantCulture), claims["exp"]!.GetValue<long>());
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse($$"""[{"id": "{{objectId}}", "classId": "{{GoogleAppFixture.ClassId}}"}]"""), claims["payload"]!["loyaltyObjects"]));
        using var publicKey = app.ServiceAccountPublicKey();
        Assert.True(publicKey.VerifyData(
            Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]), Base64Url.DecodeFromChars(jwt[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Empty(app.Fake.SchemaErrors);
    }

    [Fact]
    public async Task A_tampered_save_link_is_403_problem_details()
    {
        var (_, _, document) = await CreateMemberAsync();
        var saveUrl = document.GetProperty("google").GetProperty("saveUrl").GetString()!;

        var tampered = saveUrl.Replace("expires=", "expires=9", StringComparison.Ordinal);
        var response = await app.CreateCustomerClient().GetAsync(tampered);
        using var fromChrome = new HttpRequestMessage(HttpMethod.Get, tampered);
        fromChrome.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8"); // Chrome on Android, navigating
        var page = await app.CreateCustomerClient().SendAsync(fromChrome);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("This pass link is not valid.", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_points_event_patches_the_new_balance_with_a_notification_and_an_offer_arrives_as_a_notifying_message()
    {
        var (memberId, objectId, _) = await CreateMemberAsync();

        Assert.Equal(EventOutcome.Applied, await app.Processor.ProcessAsync(GoogleTestEvents.Points(memberId, 1, 1300), default));
        await Eventually.HoldsAsync(() => Balance(objectId) == 1300, "the object shows 1300 points");

        var pointsPatch = Assert.Single(app.BodiesOf(objectId, "PATCH"));
        Assert.Equal("NOTIFY_ON_UPDATE", NotifyPreference(pointsPatch));
        Assert.Equal(1300, pointsPatch["loyaltyPoints"]!["balance"]!["int"]!.GetValue<int>());

        await app.Processor.ProcessAsync(GoogleTestEvents.Offer(memberId, 2, "winter", "Winter drop", "Early access Friday"), default);
        await Eventually.HoldsAsync(() => app.StoredObject(objectId)?["messages"]?.AsArray().Count == 1, "the offer reaches the object");

        var added = Assert.Single(app.BodiesOf(objectId, "POST", "/addMessage"))["message"]!;
        Assert.Equal("winter", added["id"]!.GetValue<string>());
        Assert.Equal("Winter drop", added["header"]!.GetValue<string>());
        Assert.Equal("Early access Friday", added["body"]!.GetValue<string>());
        Assert.Equal("TEXT_AND_NOTIFY", added["messageType"]!.GetValue<string>());
        Assert.Null(NotifyPreference(app.BodiesOf(objectId, "PATCH")[^1])); // one notification per version: the message's

        await app.Processor.ProcessAsync(GoogleTestEvents.OfferWithdrawn(memberId, 3, "winter"), default);
        await Eventually.HoldsAsync(() => app.StoredObject(objectId)?["messages"]?.AsArray().Count == 0, "the withdrawn offer leaves the object");
        Assert.Empty(app.Fake.SchemaErrors);
    }

    [Fact]
    public async Task The_fourth_notification_within_24_hours_is_sent_silently()
    {
        var (memberId, objectId, _) = await CreateMemberAsync();

        for (var sequence = 1; sequence <= 4; sequence++)
        {
            await app.Processor.ProcessAsync(GoogleTestEvents.Points(memberId, sequence, sequence * 100), default);
            var points = sequence * 100;
            await Eventually.HoldsAsync(() => Balance(objectId) == points, $"the object shows {points} points");
        }

        Assert.Equal(
            ["NOTIFY_ON_UPDATE", "NOTIFY_ON_UPDATE", "NOTIFY_ON_UPDATE", null],
            app.BodiesOf(objectId, "PATCH").Select(NotifyPreference));
        Assert.Empty(app.Fake.SchemaErrors);
    }

    [Fact]
    public async Task When_Google_refuses_a_notification_over_its_quota_the_update_still_arrives_silently()
    {
        var (memberId, objectId, _) = await CreateMemberAsync();
        // Aimed at this object: background calls of the class sync must not take the fault (seen on a loaded machine).
        app.Fake.FailNext(1, GoogleWalletFault.QuotaExceeded, objectId);

        await app.Processor.ProcessAsync(GoogleTestEvents.Points(memberId, 1, 4711), default);

        await Eventually.HoldsAsync(() => Balance(objectId) == 4711, "the object shows 4711 points");
        Assert.Equal(["NOTIFY_ON_UPDATE", null], app.BodiesOf(objectId, "PATCH").Select(NotifyPreference));
    }

    // The tier is not among the fields whose update Google notifies about
    // (https://developers.google.com/wallet/retail/loyalty-cards/use-cases/trigger-push-notifications): the update is
    // silent and a TEXT_AND_NOTIFY message announces the new tier, in the member's language.
    [Fact]
    public async Task A_tier_change_shows_on_the_card_face_and_is_announced_by_a_notifying_message()
    {
        var (memberId, objectId, _) = await CreateMemberAsync("""{"displayName": "Jana", "points": 10, "tier": "gold", "language": "de"}""");
        Assert.Equal("Gold", app.StoredObject(objectId)!["secondaryLoyaltyPoints"]!["balance"]!["string"]!.GetValue<string>());

        await app.Processor.ProcessAsync(GoogleTestEvents.Tier(memberId, 1, "platinum"), default);

        await Eventually.HoldsAsync(() => app.StoredObject(objectId)?["messages"]?.AsArray().Count == 1, "the tier change is announced");
        var stored = app.StoredObject(objectId)!;
        Assert.Equal("Platin", stored["secondaryLoyaltyPoints"]!["balance"]!["string"]!.GetValue<string>());
        Assert.Equal("Status", stored["secondaryLoyaltyPoints"]!["label"]!.GetValue<string>());
        Assert.Equal("Punkte", stored["loyaltyPoints"]!["label"]!.GetValue<string>());
        Assert.Contains("/images/strip-platinum%403x.png?v=", stored["heroImage"]!["sourceUri"]!["uri"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(NotifyPreference(Assert.Single(app.BodiesOf(objectId, "PATCH"))));
        var announcement = Assert.Single(app.BodiesOf(objectId, "POST", "/addMessage"))["message"]!;
        Assert.Equal("TEXT_AND_NOTIFY", announcement["messageType"]!.GetValue<string>());
        Assert.Equal("Status", announcement["header"]!.GetValue<string>());
        Assert.Equal("Ihr Status ist jetzt Platin", announcement["body"]!.GetValue<string>());
        Assert.Equal(1, app.Fake.NotificationsSent[objectId]);

        // A later points change keeps the announcement (silently) and notifies for the balance.
        await app.Processor.ProcessAsync(GoogleTestEvents.Points(memberId, 2, 500), default);
        await Eventually.HoldsAsync(() => Balance(objectId) == 500, "the object shows 500 points");
        Assert.Equal("NOTIFY_ON_UPDATE", NotifyPreference(app.BodiesOf(objectId, "PATCH")[^1]));
        Assert.Equal(["Ihr Status ist jetzt Platin"], app.StoredObject(objectId)!["messages"]!.AsArray().Select(message => message!["body"]!.GetValue<string>()));
        Assert.Empty(app.Fake.SchemaErrors);
    }

    // One notification per update (README, Google Wallet): when points and tier change together, the tier message
    // (TEXT_AND_NOTIFY) takes it and the balance PATCH goes without NOTIFY_ON_UPDATE; nothing notifies later for it.
    [Fact]
    public async Task Points_and_tier_changed_together_notify_once_through_the_tier_message()
    {
        var (memberId, objectId, _) = await CreateMemberAsync("""{"displayName": "Jana", "points": 10, "tier": "silver"}""");
        var patches = app.BodiesOf(objectId, "PATCH").Count;

        var both = await app.Factory.CreateBackendClient().PutAsync($"/api/members/{memberId}", TestMembers.Json("""{"displayName": "Jana", "points": 900, "tier": "gold"}"""));
        Assert.Equal(HttpStatusCode.OK, both.StatusCode);
        await Eventually.HoldsAsync(() => Balance(objectId) == 900 && app.BodiesOf(objectId, "POST", "/addMessage").Count == 1, "the object shows 900 points and the new tier's message");
        await app.Factory.Services.GetRequiredService<WalletPasses.Delivery.DeferredAlertsJob>().RunOnceAsync(default);

        Assert.Null(NotifyPreference(Assert.Single(app.BodiesOf(objectId, "PATCH").Skip(patches))));
        Assert.Equal("TEXT_AND_NOTIFY", Assert.Single(app.BodiesOf(objectId, "POST", "/addMessage"))["message"]!["messageType"]!.GetValue<string>());
        Assert.Equal(1, app.Fake.NotificationsSent[objectId]);
    }

    [Fact]
    public async Task A_profile_change_that_leaves_the_points_alone_asks_for_no_notification()
    {
        var (memberId, objectId, _) = await CreateMemberAsync();

        await app.CreateMemberAsync(memberId, """{"displayName": "Jane Q. Doe", "points": 1000, "tier": "gold", "referralUrl": "https://shop.example/r/JANE10"}""");

        await Eventually.HoldsAsync(() => app.StoredObject(objectId)?["accountName"]?.GetValue<string>() == "Jane Q. Doe", "the object shows the new name");
        Assert.Null(NotifyPreference(Assert.Single(app.BodiesOf(objectId, "PATCH"))));
    }

    // addMessage is not idempotent: its answer lost, the sync is retried later and finds the message already shown.
    [Fact]
    public async Task An_offer_whose_addMessage_answer_was_lost_is_shown_and_notified_once()
    {
        var (memberId, objectId, _) = await CreateMemberAsync();
        app.Fake.FailNext(1, GoogleWalletFault.AnswerLost, "/addMessage");

        await app.Processor.ProcessAsync(GoogleTestEvents.Offer(memberId, 1, "winter", "Winter drop", "Early access Friday"), default);
        await Eventually.HoldsAsync(
            async () => await app.GooglePendingAsync(memberId) is null
                && app.BodiesOf(objectId, "PATCH").Count == 2,
            "the sync is retried and completes",
            () => app.Factory.Time.Advance(new GoogleWalletOptions().SyncRetryInterval));

        Assert.Single(app.BodiesOf(objectId, "POST", "/addMessage"));
        var shown = Assert.Single(app.StoredObject(objectId)!["messages"]!.AsArray());
        Assert.Equal("winter", shown!["id"]!.GetValue<string>());
        Assert.Equal(1, app.Fake.NotificationsSent[objectId]);
        Assert.Empty(app.Fake.SchemaErrors);
    }

    // A 403 is the notification quota only when Google's reason says quotaExceeded; a missing permission is a failure.
    [Fact]
    public async Task A_403_that_is_not_the_quota_is_not_sent_again_silently_but_retried()
    {
        var (memberId, objectId, _) = await CreateMemberAsync();
        app.Fake.FailNext(1, GoogleWalletFault.PermissionDenied);

        await app.Processor.ProcessAsync(GoogleTestEvents.Points(memberId, 1, 4711), default);
        await Eventually.HoldsAsync(
            async () => (await app.GooglePendingAsync(memberId))?.FailedAttempts >= 1,
            "the failed sync is recorded");
        var patchesAfterTheRefusal = app.BodiesOf(objectId, "PATCH").Select(NotifyPreference).ToList();

        await Eventually.HoldsAsync(() => Balance(objectId) == 4711, "the retry delivers the update", () => app.Factory.Time.Advance(new GoogleWalletOptions().SyncRetryInterval));

        Assert.Equal(["NOTIFY_ON_UPDATE"], patchesAfterTheRefusal);
        Assert.Equal("NOTIFY_ON_UPDATE", NotifyPreference(app.BodiesOf(objectId, "PATCH")[^1]));
    }

    // A 403 rateLimitExceeded is Google throttling, not refusing: retried like a 429 (Google's own client does so,
    // googleapis/google-api-python-client googleapiclient/http.py _should_retry_response), so the update lands in the
    // prompt attempt, with its notification, instead of waiting for the durable retry.
    [Fact]
    public async Task A_403_rate_limit_is_retried_at_once_and_the_update_keeps_its_notification()
    {
        var (memberId, objectId, _) = await CreateMemberAsync();
        app.Fake.FailNext(1, GoogleWalletFault.RateLimitExceeded);

        await app.Processor.ProcessAsync(GoogleTestEvents.Points(memberId, 1, 4712), default);

        Assert.Equal(4712, Balance(objectId));
        Assert.Null(await app.GooglePendingAsync(memberId));
        Assert.Equal("NOTIFY_ON_UPDATE", NotifyPreference(app.BodiesOf(objectId, "PATCH")[^1]));
    }

    [Fact]
    public async Task A_revoked_apple_pass_brings_its_new_barcode_to_the_object_too()
    {
        // The barcode is one per member (README, Security): had the object kept the old one, the customer's Google pass
        // would check as outdated at the counter after the operator revoked a leaked Apple pass.
        var (memberId, objectId, document) = await CreateMemberAsync();
        var before = app.StoredObject(objectId)!["barcode"]!["value"]!.GetValue<string>();

        (await app.Factory.CreateBackendClient().PostAsync($"/api/members/{memberId}/apple-pass/revoke-token", content: null)).EnsureSuccessStatusCode();

        // The save link that went round with the leaked pass no longer adds the member's object to someone's wallet.
        using var customer = app.CreateCustomerClient();
        Assert.Equal(HttpStatusCode.Gone, (await customer.GetAsync(document.GetProperty("google").GetProperty("saveUrl").GetString())).StatusCode);

        // The revocation marks the member announcing and leaves the delivery to the retry job, which runs past the announcer's grace.
        app.Factory.Time.Advance(TimeSpan.FromMinutes(1));
        await Eventually.HoldsAsync(() => app.StoredObject(objectId)?["barcode"]?["value"]?.GetValue<string>() is { } value && value != before, "the new barcode reaches the object");
    }

    [Fact]
    public async Task Deleting_a_member_voids_the_object_and_erases_its_personal_fields()
    {
        var (memberId, objectId, document) = await CreateMemberAsync();
        await app.Processor.ProcessAsync(GoogleTestEvents.Offer(memberId, 1, "winter", "Winter drop", "Early access Friday"), default);
        await Eventually.HoldsAsync(() => app.StoredObject(objectId)?["messages"]?.AsArray().Count == 1, "the offer reaches the object");

        var deleted = await app.Factory.CreateBackendClient().DeleteAsync($"/api/members/{memberId}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await Eventually.HoldsAsync(() => app.StoredObject(objectId)?["state"]?.GetValue<string>() == "INACTIVE", "the object is voided");
        var stored = app.StoredObject(objectId)!;
        foreach (var personal in new[] { "accountId", "accountName", "barcode", "loyaltyPoints", "secondaryLoyaltyPoints", "linksModuleData", "textModulesData", "messages", "heroImage" })
        {
            Assert.False(stored.ContainsKey(personal), $"{personal} is still on the voided object");
        }

        var saveLink = await app.CreateCustomerClient().GetAsync(document.GetProperty("google").GetProperty("saveUrl").GetString());
        Assert.Equal(HttpStatusCode.Gone, saveLink.StatusCode);
        Assert.Empty(app.Fake.SchemaErrors);
    }

    [Fact]
    public async Task The_class_is_created_by_its_periodic_job_from_the_template_with_images_the_app_serves()
    {
        // GoogleClassSyncJob, run by the standalone job runner on the app's clock (not a start-up task).
        await Eventually.HoldsAsync(() => app.Fake.StoredClasses.ContainsKey(GoogleAppFixture.ClassId), "the class exists",
            step: () => app.Factory.Time.Advance(TimeSpan.FromMinutes(1)));

        var loyaltyClass = app.Fake.StoredClasses[GoogleAppFixture.ClassId];
        // Sent for review; Google approves it at once (LoyaltyClass.reviewStatus in the discovery document).
        Assert.All(app.ClassWriteBodies(), body => Assert.Equal("UNDER_REVIEW", body["reviewStatus"]!.GetValue<string>()));
        Assert.Equal("APPROVED", loyaltyClass["reviewStatus"]!.GetValue<string>());
        Assert.Equal("Northwind Coffee", loyaltyClass["issuerName"]!.GetValue<string>());
        Assert.Equal("Northwind Rewards", loyaltyClass["programName"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""[{"language": "de", "value": "Northwind Prämien"}]"""), loyaltyClass["localizedProgramName"]!["translatedValues"]));
        Assert.Equal("#5e6b78", loyaltyClass["hexBackgroundColor"]!.GetValue<string>());
        Assert.Equal($"{WalletPassesFactory.PublicBaseUrl}/api/google/callbacks", loyaltyClass["callbackOptions"]!["url"]!.GetValue<string>());
        Assert.Null(loyaltyClass["rewardsTier"]); // the tier is per member: on the object
        Assert.Contains("/api/templates/default/images/hero.png?v=", loyaltyClass["heroImage"]!["sourceUri"]!["uri"]!.GetValue<string>(), StringComparison.Ordinal);

        var logoUrl = loyaltyClass["programLogo"]!["sourceUri"]!["uri"]!.GetValue<string>();
        Assert.StartsWith($"{WalletPassesFactory.PublicBaseUrl}/api/templates/default/images/program-logo.png?v=", logoUrl, StringComparison.Ordinal);
        var customer = app.CreateCustomerClient();
        var logo = await customer.GetAsync(logoUrl);
        Assert.Equal(HttpStatusCode.OK, logo.StatusCode);
        Assert.Equal("image/png", logo.Content.Headers.ContentType?.MediaType);
        Assert.True(logo.Headers.CacheControl!.Public);
        Assert.Equal(TimeSpan.FromDays(365), logo.Headers.CacheControl.MaxAge);
        using var revalidation = new HttpRequestMessage(HttpMethod.Get, logoUrl);
        revalidation.Headers.IfNoneMatch.Add(logo.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await customer.SendAsync(revalidation)).StatusCode);
        Assert.Empty(app.Fake.SchemaErrors);
    }

    [Fact]
    public async Task Starting_again_with_the_same_template_checks_the_class_and_writes_nothing()
    {
        await Eventually.HoldsAsync(() => app.Fake.StoredClasses.ContainsKey(GoogleAppFixture.ClassId), "the class exists",
            step: () => app.Factory.Time.Advance(TimeSpan.FromMinutes(1))); // the class job's next run
        var (gets, writes) = (ClassRequests("GET"), ClassRequests("PATCH") + ClassRequests("PUT"));

        // A second instance of the service (own storage, the default template, the same Google issuer).
        // (Here, not beside the template-change test: that one changes the class.)
        await using var restarted = new WalletPassesFactory(app.Azurite.ConnectionString, GoogleAppFixture.GoogleSettings(app.Fake, app.KeyFile));
        // Issuing a pass waits for the class check to finish (objects of a missing class are refused).
        await TestMembers.CreateAsync(restarted.CreateBackendClient(), TestMembers.NewId());

        Assert.True(ClassRequests("GET") > gets);
        Assert.Equal(writes, ClassRequests("PATCH") + ClassRequests("PUT"));
    }

    private int ClassRequests(string method) =>
        app.Fake.ApiRequests.Count(request => request.Method == method && request.Path.EndsWith("/loyaltyClass/" + GoogleAppFixture.ClassId, StringComparison.Ordinal));

    private static JsonNode Decode(string base64Url) => JsonNode.Parse(Base64Url.DecodeFromChars(base64Url))!;
}
