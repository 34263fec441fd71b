using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using WalletPasses.Google;
using WalletPasses.Tests.Health;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Google;

/// <summary>
/// Google failing shows in <c>GET /api/health</c> as degraded (the app still serves Apple passes and keeps Google's
/// updates for later), told apart: an outage (503 UNAVAILABLE, as the fake answers per the Wallet REST error model)
/// from Google refusing the service account (403 permissionDenied, or the OAuth endpoint's invalid_grant).
/// </summary>
public sealed class GoogleHealthTests(GoogleAppFixture app) : IClassFixture<GoogleAppFixture>
{
    // Steps the app's clock while waiting; the HTTP retry back-off itself (10 ms here) runs on the wall clock.
    private void PassRetryBackOff() => app.Factory.Time.Advance(TimeSpan.FromMilliseconds(100));

    private Task<JsonElement> CreateMemberAsync() =>
        Eventually.CompletesAsync(app.CreateMemberAsync(TestMembers.NewId()), "the member is created", PassRetryBackOff);

    [Fact]
    public async Task A_Google_outage_is_degraded_until_a_call_succeeds_again()
    {
        app.Fake.Availability = GoogleWalletAvailability.Unavailable;
        await CreateMemberAsync();
        var down = await HealthProbe.GetAsync(app.Factory);

        app.Fake.Availability = GoogleWalletAvailability.Up;
        await CreateMemberAsync();
        var back = await HealthProbe.GetAsync(app.Factory);

        Assert.Equal(HttpStatusCode.OK, down.StatusCode);
        Assert.Equal("degraded", down.Status);
        // Google answered: its own failure, not the network path to it (no "check outbound HTTPS").
        var reason = down.Reason("Google Wallet answers with server errors (503 UNAVAILABLE");
        Assert.Contains("updates are kept and retried", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("outbound HTTPS", reason, StringComparison.Ordinal);
        Assert.True(down.Report.GetProperty("google").GetProperty("failing").GetBoolean());
        Assert.False(down.Report.GetProperty("google").GetProperty("authenticationFailing").GetBoolean());
        Assert.DoesNotContain(back.Reasons, reason => reason.StartsWith("Google", StringComparison.Ordinal));
        Assert.False(back.Report.GetProperty("google").GetProperty("failing").GetBoolean());
    }

    /// <summary>
    /// A refusal of the service account (403 PERMISSION_DENIED) says to check the key and the issuer. Google throttling
    /// accepts the key: a 403 rateLimitExceeded (the legacy shape of a 429: Google's own client retries it,
    /// googleapis/google-api-python-client googleapiclient/http.py) and a 429 RESOURCE_EXHAUSTED (googleapis/googleapis
    /// google/rpc/code.proto: "Some resource has been exhausted, perhaps a per-user quota", "HTTP Mapping: 429 Too Many
    /// Requests") say to lower the app's rate or ask Google for more quota, never to check the key or the network.
    /// A 400 (invalidResource, as Google refused a barcode without a type in google-wallet/rest-samples issue #108) is final and
    /// fails every update alike until an operator fixes the template or field: Google's message says which.
    /// Failures: what the object insert (the member's last call to Google) meets; a retried fault fails more than the
    /// fixture's one in-call retry, so the insert gives up and the member's Google copy stays pending.
    /// </summary>
    public static TheoryData<GoogleWalletFault, int, string, string, bool> RefusedCalls => new()
    {
        { GoogleWalletFault.PermissionDenied, 1, "Google Wallet refuses the service account (403", $"a user of issuer {GoogleWalletTestData.IssuerId}", true },
        // A 401 UNAUTHENTICATED that a new token does not cure (the client refreshes once, GoogleWalletAuthHandler): the bearer
        // tokens of this key are refused, which no wait fixes ("Standard error responses",
        // https://developers.google.com/analytics/devguides/config/mgmt/v3/errors: 401 invalidCredentials "Do not retry without
        // fixing the problem"). Two faults: the first answer and the one to the refreshed token.
        { GoogleWalletFault.Unauthenticated, 2, "Google Wallet refuses the service account (401 UNAUTHENTICATED", "WalletPasses:Google:ServiceAccountKeyFile", true },
        { GoogleWalletFault.ServiceUnavailable, 2, "Google Wallet answers with server errors (503 UNAVAILABLE", "updates are kept and retried", false },
        { GoogleWalletFault.RateLimitExceeded, 2, "Google Wallet throttles the app's calls (403 rateLimitExceeded", "WalletPasses:Google:RequestsPerSecond", false },
        { GoogleWalletFault.TooManyRequests, 2, "Google Wallet throttles the app's calls (429 RESOURCE_EXHAUSTED", "WalletPasses:Google:RequestsPerSecond", false },
        { GoogleWalletFault.InvalidResource, 1, "Google Wallet refuses what the app sends (400 invalidResource", "Template publishing", false },
    };

    [Theory]
    [MemberData(nameof(RefusedCalls))]
    public async Task Each_refusal_says_where_to_look(GoogleWalletFault fault, int failures, string reasonStart, string advice, bool authenticationFailing)
    {
        var memberId = TestMembers.NewId();
        app.Fake.FailNext(failures, fault, pathEnd: "/loyaltyObject");
        await Eventually.CompletesAsync(app.CreateMemberAsync(memberId), "the member is created", PassRetryBackOff);
        var health = await HealthProbe.GetAsync(app.Factory);
        // The member changed (its template fixed, say): its object goes through and a refusal of it is over.
        await Eventually.CompletesAsync(app.CreateMemberAsync(memberId, """{"displayName": "Jane Doe", "points": 1001, "tier": "gold", "referralUrl": "https://shop.example/r/JANE10"}"""), "the member is changed", PassRetryBackOff);
        var afterChange = await HealthProbe.GetAsync(app.Factory);

        Assert.Equal("degraded", health.Status);
        var reason = health.Reason(reasonStart);
        Assert.Contains(advice, reason, StringComparison.Ordinal);
        Assert.DoesNotContain("outbound HTTPS", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Barcode type must be set", health.Report.GetRawText(), StringComparison.Ordinal); // Google's message: logged, never in the anonymous health answer
        Assert.Equal(authenticationFailing, health.Report.GetProperty("google").GetProperty("authenticationFailing").GetBoolean());
        Assert.DoesNotContain(afterChange.Reasons, reason => reason.StartsWith("Google", StringComparison.Ordinal));
    }

    // With the client's own retry settings (4 retries from 1 s, doubling), a call to a Google that keeps failing outlasts
    // the sync's IssueTimeout (5 s): the outage must show although no call reaches its last attempt.
    [Fact]
    public async Task A_lasting_outage_shows_although_the_clients_back_off_outlasts_the_sync_time_out()
    {
        var settings = GoogleAppFixture.GoogleSettings(app.Fake, app.KeyFile);
        settings.Remove("WalletPasses:Google:MaxRetryAttempts");
        settings.Remove("WalletPasses:Google:RetryBaseDelay");
        settings.Remove("WalletPasses:Google:MaxRetryDelay");
        await using var factory = new WalletPassesFactory(app.Azurite.ConnectionString, settings);
        using var backend = factory.CreateBackendClient();
        app.Fake.Availability = GoogleWalletAvailability.Unavailable;
        try
        {
            await TestMembers.CreateAsync(backend, TestMembers.NewId()).WaitAsync(TimeSpan.FromSeconds(60));
            var health = await HealthProbe.GetAsync(factory);

            Assert.Equal("degraded", health.Status);
            Assert.Contains("updates are kept and retried", health.Reason("Google Wallet answers with server errors (503 UNAVAILABLE"), StringComparison.Ordinal);
        }
        finally
        {
            app.Fake.Availability = GoogleWalletAvailability.Up;
        }
    }

    // A Google that takes the connection and never answers (the fake's Hanging): the sync gives up at IssueTimeout
    // (GoogleSyncWorker, 5 s) by cancelling the call, which the client sees as its caller's own cancellation. Unless the
    // app is shutting down, that is Google not answering and must show, or health says "ok" while no update lands.
    [Fact]
    public async Task A_Google_that_never_answers_shows_as_no_answer_within_the_sync_time_out()
    {
        app.Fake.Availability = GoogleWalletAvailability.Hanging;
        try
        {
            await CreateMemberAsync().WaitAsync(TimeSpan.FromSeconds(60));
            var health = await HealthProbe.GetAsync(app.Factory);

            Assert.Equal("degraded", health.Status);
            var reason = health.Reason("Google Wallet does not answer (no answer within ");
            Assert.Contains("the caller stopped waiting", reason, StringComparison.Ordinal);
            Assert.Contains("WalletPasses:Google:ApiBaseUrl", reason, StringComparison.Ordinal);
            Assert.Equal("NoAnswer", health.Report.GetProperty("google").GetProperty("failureKind").GetString());
        }
        finally
        {
            app.Fake.Availability = GoogleWalletAvailability.Up;
        }
    }

    // A caller that hangs up (a customer who opens a save link, whose object Google does not have yet, and closes the tab)
    // cancels the Google call, but says nothing about Google: only the sync's own time-out (IssueTimeout) is Google not
    // answering. Before, any caller's cancellation made health "degraded: Google Wallet does not answer", so anyone who
    // opens such a link and leaves at once raised that alarm, until the next call that succeeded.
    [Fact]
    public async Task A_customer_who_leaves_during_a_Google_call_does_not_make_Google_look_down()
    {
        app.Fake.Availability = GoogleWalletAvailability.Unavailable;
        var saveUrl = (await CreateMemberAsync()).GetProperty("google").GetProperty("saveUrl").GetString(); // no object at Google
        app.Fake.Availability = GoogleWalletAvailability.Up;
        await CreateMemberAsync(); // Google answers again: health is ok to start with
        app.Fake.Availability = GoogleWalletAvailability.Hanging;
        try
        {
            using var customer = app.CreateCustomerClient();
            using var leaves = new CancellationTokenSource();
            using var linkRequests = new FinishedRequests(app.Factory, GoogleWalletApi.SaveRoute);
            var linkCallsGoogle = app.Fake.NextApiCallArrives();
            var opening = customer.GetAsync(saveUrl, leaves.Token);
            await linkCallsGoogle.WaitAsync(TimeSpan.FromSeconds(30)); // the link waits for Google: the customer leaves now, well within IssueTimeout (5 s)
            await leaves.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => opening);
            // The app's Google call ended (the fake saw its connection close) and the link's request ran to its end,
            // through the health record of that call's cancellation.
            await app.Fake.WhenNoApiCallInFlight().WaitAsync(TimeSpan.FromSeconds(30));
            await linkRequests.First.WaitAsync(TimeSpan.FromSeconds(30));

            var health = await HealthProbe.GetAsync(app.Factory);

            Assert.DoesNotContain(health.Reasons, reason => reason.StartsWith("Google", StringComparison.Ordinal));
            Assert.False(health.Report.GetProperty("google").GetProperty("failing").GetBoolean());
        }
        finally
        {
            app.Fake.Availability = GoogleWalletAvailability.Up;
        }
    }

    [Fact]
    public async Task A_key_the_OAuth_endpoint_refuses_is_reported_as_authentication_failing()
    {
        await using var factory = await WithUnknownKeyAsync();
        using var backend = factory.CreateBackendClient();

        await Eventually.CompletesAsync(TestMembers.CreateAsync(backend, TestMembers.NewId()), "the member is created", () => factory.Time.Advance(TimeSpan.FromMilliseconds(100)));
        var health = await HealthProbe.GetAsync(factory);

        Assert.Equal("degraded", health.Status);
        Assert.Contains("ServiceAccountKeyFile", health.Reason("Google Wallet refuses the service account (the OAuth token endpoint refused the service account key (invalid_grant)"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_save_link_opened_while_the_OAuth_endpoint_refuses_the_key_is_503_problem_details_not_500()
    {
        // The token endpoint's invalid_grant surfaces from Google.Apis.Auth as TokenResponseException, not as an HTTP
        // answer: the link must still say "try again" as it does for any other Google failure.
        await using var factory = await WithUnknownKeyAsync();
        using var backend = factory.CreateBackendClient();
        var member = await Eventually.CompletesAsync(TestMembers.CreateAsync(backend, TestMembers.NewId()), "the member is created", () => factory.Time.Advance(TimeSpan.FromMilliseconds(100)));
        using var customer = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(WalletPassesFactory.PublicBaseUrl) });

        var response = await customer.GetAsync(member.GetProperty("google").GetProperty("saveUrl").GetString());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    // A 5xx from the token endpoint says nothing about the key (RFC 6749 section 5.2 refusals are 400 or 401), yet
    // Google.Apis.Auth raises it as the same TokenResponseException as invalid_grant. The library retries the token
    // request itself on a 503 only (ServiceCredential.Initializer: "Default value is UnsuccessfulResponse503", the
    // ConfigurableMessageHandler's 3 tries, 1 s then 2 s apart), within the sync's time-out. Either way the outage shows, and the sync stays pending for the durable retry like any other Google failure.
    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, null)]
    [InlineData(HttpStatusCode.ServiceUnavailable, 3)]
    public async Task An_outage_of_the_OAuth_endpoint_is_an_outage_not_a_refused_key(HttpStatusCode failure, int? libraryTries)
    {
        await using var oauth = await GoogleWalletFake.StartAsync();
        var keyFile = oauth.WriteServiceAccountKeyFile();
        oauth.TokenEndpointFailure = failure;
        await using var factory = new WalletPassesFactory(app.Azurite.ConnectionString, GoogleAppFixture.GoogleSettings(app.Fake, keyFile));
        using var backend = factory.CreateBackendClient();

        await Eventually.CompletesAsync(TestMembers.CreateAsync(backend, TestMembers.NewId()), "the member is created", () => factory.Time.Advance(TimeSpan.FromMilliseconds(100)));
        var health = await HealthProbe.GetAsync(factory);

        if (libraryTries is { } tries)
        {
            Assert.Equal(tries, oauth.TokenRequests.Count);
        }

        Assert.Equal("degraded", health.Status);
        Assert.Contains(((int)failure).ToString(System.Globalization.CultureInfo.InvariantCulture), health.Reason("Google Wallet answers with server errors (the OAuth token endpoint failed"), StringComparison.Ordinal);
        Assert.False(health.Report.GetProperty("google").GetProperty("authenticationFailing").GetBoolean());
    }

    /// <summary>The app with a well-formed key Google does not know: its token endpoint answers invalid_grant (RFC 6749 5.2).</summary>
    private async Task<WalletPassesFactory> WithUnknownKeyAsync()
    {
        await using var stranger = await GoogleWalletFake.StartAsync();
        var key = JsonNode.Parse(await File.ReadAllTextAsync(stranger.WriteServiceAccountKeyFile()))!.AsObject();
        key["token_uri"] = app.Fake.TokenUrl.AbsoluteUri;
        var keyFile = Path.Combine(TestCertificates.NewFolder(), "unknown-key.json");
        await File.WriteAllTextAsync(keyFile, key.ToJsonString());
        return new WalletPassesFactory(app.Azurite.ConnectionString, GoogleAppFixture.GoogleSettings(app.Fake, keyFile));
    }
}
