using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Google;

namespace WalletPasses.Tests.Google;

/// <summary>
/// The fake refuses what Google refuses, through the app's own client, so a test that passes against it proves
/// something. Each refusal cites the reference it follows (see <see cref="GoogleWalletFake"/>).
/// </summary>
public sealed class GoogleWalletFakeTests : IAsyncLifetime
{
    private static readonly string ObjectId = GoogleWalletTestData.ObjectIdFor("m-42");

    private GoogleWalletFake _fake = null!;
    private ServiceProvider _services = null!;
    private GoogleWalletClient _client = null!;

    public async Task InitializeAsync()
    {
        _fake = await GoogleWalletFake.StartAsync();
        _services = _fake.CreateClientServices();
        _client = _services.GetRequiredService<GoogleWalletClient>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    // https://developers.google.com/wallet/retail/loyalty-cards/resources/error-codes: "404 - IssuerClassNotFoundException".
    [Fact]
    public async Task An_object_whose_class_does_not_exist_is_404()
    {
        var refused = await Assert.ThrowsAsync<GoogleWalletException>(() => _client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject()));

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains(GoogleWalletTestData.ClassId, refused.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.StoredObjects);
    }

    // LoyaltyObject: id, classId and state are "Required."; LoyaltyClass: id, issuerName, reviewStatus, programName, programLogo.
    [Fact]
    public async Task Required_fields_are_required_on_insert_and_full_update_but_not_on_patch()
    {
        var withoutLogo = await Assert.ThrowsAsync<GoogleWalletException>(
            () => _client.InsertClassAsync(GoogleWalletTestData.LoyaltyClass() with { ProgramLogo = null }));
        await _client.InsertClassAsync(GoogleWalletTestData.LoyaltyClass());
        var withoutState = await Assert.ThrowsAsync<GoogleWalletException>(
            () => _client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject() with { State = null }));
        await _client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject());
        var updateWithoutClass = await Assert.ThrowsAsync<GoogleWalletException>(
            () => _client.UpdateObjectAsync(GoogleWalletTestData.LoyaltyObject() with { ClassId = null }));

        await _client.PatchObjectAsync(new LoyaltyObject { Id = ObjectId, AccountName = "Jane D." });

        Assert.All([withoutLogo, withoutState, updateWithoutClass], refused => Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode));
        Assert.Equal("Jane D.", _fake.StoredObjects[ObjectId]["accountName"]!.GetValue<string>());
    }

    // LoyaltyPointsBalance in the discovery document: int, string, double, money; exactly one of them is set. LoyaltyPoints.balance:
    // "This is a required field of `loyaltyPoints` and `secondaryLoyaltyPoints`."
    [Fact]
    public async Task A_balance_with_two_forms_or_none_is_400()
    {
        _fake.SeedClass(GoogleWalletTestData.LoyaltyClass());
        var twoForms = new LoyaltyPoints { Label = "Points", Balance = new LoyaltyPointsBalance { IntValue = 5, StringValue = "5" } };
        var none = new LoyaltyPoints { Label = "Tier", Balance = null! };

        var refused = await Assert.ThrowsAsync<GoogleWalletException>(
            () => _client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject() with { LoyaltyPoints = twoForms }));
        var withoutBalance = await Assert.ThrowsAsync<GoogleWalletException>(
            () => _client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject() with { SecondaryLoyaltyPoints = none }));

        Assert.All([refused, withoutBalance], error => Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode));
        Assert.Empty(_fake.StoredObjects);
    }

    // LoyaltyClass.reviewStatus in the discovery document: "This field can be set to `draft` or `underReview` using the insert,
    // patch, or update API calls. Once the review state is changed from `draft` it may not be changed back to `draft`. ... A
    // `draft` class cannot be used to create any object. ... The platform will automatically set this field to `approved`".
    // Google documents no answer for the draft rules: the fake gives the one 400 its error-codes page lists
    // (https://developers.google.com/wallet/retail/loyalty-cards/resources/error-codes: "400 - BadRequestException | Request
    // contains an invalid argument."), not a status of its own.
    [Fact]
    public async Task Issuers_set_only_draft_or_under_review_which_Google_approves_and_a_draft_class_takes_no_objects()
    {
        var approvedByIssuer = await Assert.ThrowsAsync<GoogleWalletException>(
            () => _client.InsertClassAsync(GoogleWalletTestData.LoyaltyClass() with { ReviewStatus = ReviewStatus.Approved }));
        await _client.InsertClassAsync(GoogleWalletTestData.LoyaltyClass() with { ReviewStatus = ReviewStatus.Draft });
        var objectOfDraft = await Assert.ThrowsAsync<GoogleWalletException>(() => _client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject()));
        await _client.PatchClassAsync(new LoyaltyClass { Id = GoogleWalletTestData.ClassId, ReviewStatus = ReviewStatus.UnderReview });
        var backToDraft = await Assert.ThrowsAsync<GoogleWalletException>(
            () => _client.PatchClassAsync(new LoyaltyClass { Id = GoogleWalletTestData.ClassId, ReviewStatus = ReviewStatus.Draft }));
        await _client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject());

        Assert.All([approvedByIssuer, objectOfDraft, backToDraft], refused => Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode));
        Assert.All([objectOfDraft, backToDraft], refused =>
        {
            // The Wallet API's 400 body: reason invalidResource, no "status" (see GoogleWalletFake.InvalidArgument).
            Assert.Equal("invalidResource", refused.Reason);
            Assert.Null(refused.GoogleStatus);
            Assert.Contains("Request contains an invalid argument", refused.Message, StringComparison.Ordinal);
        });
        Assert.Equal(ReviewStatus.Approved, (await _client.GetClassAsync(GoogleWalletTestData.ClassId))!.ReviewStatus);
        Assert.Single(_fake.StoredObjects);
    }

    // LoyaltyObject.messages: "The maximum number of these fields is 10."
    [Fact]
    public async Task An_eleventh_message_is_400_in_a_body_and_by_addMessage()
    {
        _fake.SeedClass(GoogleWalletTestData.LoyaltyClass());
        Message[] eleven = [.. Enumerable.Range(1, 11).Select(i => new Message { Id = $"m{i}", Header = "h", Body = "b" })];

        var inBody = await Assert.ThrowsAsync<GoogleWalletException>(() => _client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject() with { Messages = eleven }));
        await _client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject() with { Messages = eleven[..10] });
        var added = await Assert.ThrowsAsync<GoogleWalletException>(() => _client.AddObjectMessageAsync(ObjectId, eleven[10]));

        Assert.Equal(HttpStatusCode.BadRequest, inBody.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, added.StatusCode);
        Assert.Equal(10, _fake.StoredObjects[ObjectId]["messages"]!.AsArray().Count);
    }

    // "Both message and update notifications are limited to 3 per pass within a 24-hour period"
    // (https://developers.google.com/wallet/retail/loyalty-cards/use-cases/trigger-push-notifications); the 403 body is
    // the one Google sent (edutap-eu/edutap.wallet_google issue #3).
    [Fact]
    public async Task A_fourth_notification_within_24_hours_is_403_quotaExceeded_and_a_silent_message_still_goes()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        _fake.Clock = clock;
        _fake.SeedClass(GoogleWalletTestData.LoyaltyClass());
        await _client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject() with { Messages = null });
        var pointsUpdate = GoogleWalletTestData.LoyaltyObject(points: 2000) with { Messages = null, NotifyPreference = NotifyPreference.NotifyOnUpdate };

        await _client.PatchObjectAsync(pointsUpdate);
        await _client.PatchObjectAsync(pointsUpdate); // the balance does not change: no notification
        await _client.AddObjectMessageAsync(ObjectId, Notifying("a"));
        await _client.AddObjectMessageAsync(ObjectId, Notifying("b"));
        var fourth = await Assert.ThrowsAsync<GoogleWalletException>(() => _client.AddObjectMessageAsync(ObjectId, Notifying("c")));
        var fourthUpdate = await Assert.ThrowsAsync<GoogleWalletException>(
            () => _client.PatchObjectAsync(GoogleWalletTestData.LoyaltyObject(points: 2100) with { Messages = null, NotifyPreference = NotifyPreference.NotifyOnUpdate }));
        await _client.AddObjectMessageAsync(ObjectId, Notifying("c") with { MessageType = MessageType.Text });
        clock.UtcNow += TimeSpan.FromDays(1);
        await _client.AddObjectMessageAsync(ObjectId, Notifying("d"));

        Assert.True(fourth.IsNotificationQuota, fourth.Message);
        Assert.True(fourthUpdate.IsNotificationQuota, fourthUpdate.Message);
        Assert.Equal(["a", "b", "c", "d"], _fake.StoredObjects[ObjectId]["messages"]!.AsArray().Select(message => message!["id"]!.GetValue<string>()));
        Assert.Equal(1, _fake.NotificationsSent[ObjectId]);
    }

    // LoyaltyObject's reference: kind, version, hasUsers (set by Google) and classReference ("retrieved during a GET").
    [Fact]
    public async Task A_get_answers_with_the_fields_Google_adds()
    {
        _fake.SeedClass(GoogleWalletTestData.LoyaltyClass());
        await _client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject());

        var stored = await _client.GetObjectAsync(ObjectId);
        var raw = await GetRawAsync($"loyaltyObject/{ObjectId}");

        Assert.False(stored!.HasUsers);
        Assert.Equal("walletobjects#loyaltyObject", raw["kind"]!.GetValue<string>());
        Assert.NotNull(raw["version"]);
        Assert.Equal(GoogleWalletTestData.ClassId, raw["classReference"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_lost_answer_leaves_the_write_done_at_Google()
    {
        _fake.SeedClass(GoogleWalletTestData.LoyaltyClass());
        _fake.FailNext(1, GoogleWalletFault.AnswerLost, "/loyaltyObject");
        _fake.FailNext(1, GoogleWalletFault.InternalServerError, "/loyaltyObject"); // and the automatic retry fails

        await Assert.ThrowsAnyAsync<Exception>(() => _client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject()));

        Assert.Equal("ACTIVE", _fake.StoredObjects[ObjectId]["state"]!.GetValue<string>());
    }

    // The answers of Google's front end (see GoogleWalletFake.FrontEndError): the canonical status of google.rpc.Code with its
    // HTTP mapping (https://cloud.google.com/apis/design/errors) and the global domain's reason in errors[] (Google's "Standard
    // error responses", https://developers.google.com/analytics/devguides/config/mgmt/v3/errors), in one body, as captured from
    // Google (401: dacastro4/laravel-gmail issue #273; 429: google-gemini/gemini-cli issue #14831). Retry-After only when set.
    [Theory]
    [InlineData(GoogleWalletFault.Unauthenticated, 401, "UNAUTHENTICATED", "authError", null)]
    [InlineData(GoogleWalletFault.TooManyRequests, 429, "RESOURCE_EXHAUSTED", "rateLimitExceeded", null)]
    [InlineData(GoogleWalletFault.TooManyRequests, 429, "RESOURCE_EXHAUSTED", "rateLimitExceeded", 30)]
    [InlineData(GoogleWalletFault.InternalServerError, 500, "INTERNAL", "internalError", null)]
    [InlineData(GoogleWalletFault.ServiceUnavailable, 503, "UNAVAILABLE", "backendError", 30)]
    public async Task Front_end_failures_carry_the_canonical_status_and_the_global_reason(GoogleWalletFault fault, int code, string status, string reason, int? retryAfterSeconds)
    {
        await _client.GetClassAsync(GoogleWalletTestData.ClassId); // a token is issued
        _fake.RetryAfter = retryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
        _fake.FailNext(1, fault);

        using var response = await SendWithLastTokenAsync("loyaltyClass/" + GoogleWalletTestData.ClassId);
        var error = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal(code, error["code"]!.GetValue<int>());
        Assert.Equal(status, error["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
        var entry = Assert.Single(error["errors"]!.AsArray())!;
        Assert.Equal(("global", reason), (entry["domain"]!.GetValue<string>(), entry["reason"]!.GetValue<string>()));
        Assert.Equal(retryAfterSeconds, (int?)response.Headers.RetryAfter?.Delta?.TotalSeconds);
        if (fault == GoogleWalletFault.Unauthenticated)
        {
            // Where the credentials were wrong, as Google's 401 says it (Gmail's handle-errors guide, "Resolve a 401 error").
            Assert.Equal(("Authorization", "header"), (entry["location"]!.GetValue<string>(), entry["locationType"]!.GetValue<string>()));
        }
    }

    private static Message Notifying(string id) => new() { Id = id, Header = "News", Body = id, MessageType = MessageType.TextAndNotify };

    private async Task<System.Text.Json.Nodes.JsonObject> GetRawAsync(string path)
    {
        await _client.GetClassAsync(GoogleWalletTestData.ClassId); // a token is issued
        using var response = await SendWithLastTokenAsync(path);
        return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>A GET as it leaves the app, bearing the last token the fake issued, without the app's client's handling of the answer.</summary>
    private async Task<HttpResponseMessage> SendWithLastTokenAsync(string path)
    {
        using var httpClient = new HttpClient { BaseAddress = _fake.ApiBaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _fake.IssuedAccessTokens[^1]);
        return await httpClient.SendAsync(request);
    }
}
