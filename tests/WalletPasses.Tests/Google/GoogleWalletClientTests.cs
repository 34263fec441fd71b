using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WalletPasses.Google;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Google;

public sealed class GoogleWalletClientTests : IAsyncLifetime
{
    private GoogleWalletFake _fake = null!;
    private ServiceProvider? _services;

    public async Task InitializeAsync() => _fake = await GoogleWalletFake.StartAsync();

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Inserts_and_gets_a_class_with_a_token_from_the_key_files_token_uri()
    {
        var client = CreateClient();

        var inserted = await client.InsertClassAsync(GoogleWalletTestData.LoyaltyClass());
        var fetched = await client.GetClassAsync(GoogleWalletTestData.ClassId);

        Assert.Equal(GoogleWalletTestData.ClassId, inserted.Id);
        Assert.Equal("Bean Points", fetched?.ProgramName);
        Assert.Equal(ReviewStatus.Approved, fetched?.ReviewStatus); // sent UNDER_REVIEW: "The platform will automatically set this field to `approved`"
        Assert.Contains(GoogleWalletTestData.ClassId, _fake.StoredClasses.Keys);
        Assert.Single(_fake.TokenRequests);
        Assert.Empty(_fake.SchemaErrors);
    }

    [Fact]
    public async Task Updates_and_patches_a_class()
    {
        var client = CreateClient();
        await client.InsertClassAsync(GoogleWalletTestData.LoyaltyClass());

        await client.UpdateClassAsync(GoogleWalletTestData.LoyaltyClass() with { RewardsTier = null, ProgramName = "Bean Club" });
        var patched = await client.PatchClassAsync(new LoyaltyClass { Id = GoogleWalletTestData.ClassId, HexBackgroundColor = "#000000" });

        Assert.Equal("Bean Club", patched.ProgramName);
        Assert.Null(patched.RewardsTier);
        Assert.Equal("#000000", patched.HexBackgroundColor);
        Assert.Equal(["POST", "PUT", "PATCH"], _fake.ApiRequests.Select(request => request.Method));
        Assert.Empty(_fake.SchemaErrors);
    }

    [Fact]
    public async Task Get_answers_null_for_an_unknown_object()
    {
        var client = CreateClient();

        Assert.Null(await client.GetObjectAsync(GoogleWalletTestData.ObjectIdFor("nobody")));
        Assert.Null(await client.GetClassAsync(GoogleWalletTestData.IssuerId + ".nothing"));
    }

    [Fact]
    public async Task A_second_insert_fails_with_409_already_exists()
    {
        var client = CreateClientWithClass();
        await client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject());

        var exception = await Assert.ThrowsAsync<GoogleWalletException>(() => client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject()));

        // As the error-codes page words it (https://developers.google.com/wallet/retail/loyalty-cards/resources/error-codes,
        // "409 - AlreadyExistsException"), in the Wallet API's legacy body, which has no "status" (see GoogleWalletFake).
        Assert.Equal(HttpStatusCode.Conflict, exception.StatusCode);
        Assert.Null(exception.GoogleStatus);
        Assert.Contains($"answered 409 Conflict: Wallet Object {{{GoogleWalletTestData.ObjectIdFor("m-42")}}} already exists.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patching_an_unknown_object_fails_with_404()
    {
        var client = CreateClient();

        var exception = await Assert.ThrowsAsync<GoogleWalletException>(
            () => client.PatchObjectAsync(new LoyaltyObject { Id = GoogleWalletTestData.ObjectIdFor("nobody"), State = LoyaltyObjectState.Inactive }));

        // "404 - NotFoundException | Wallet Object {...} not found." (the error-codes page), without a "status".
        Assert.Equal(HttpStatusCode.NotFound, exception.StatusCode);
        Assert.Null(exception.GoogleStatus);
        Assert.Contains($"Wallet Object {{{GoogleWalletTestData.ObjectIdFor("nobody")}}} not found.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upsert_inserts_a_new_object()
    {
        var client = CreateClientWithClass();

        var upserted = await client.UpsertObjectAsync(GoogleWalletTestData.LoyaltyObject());

        Assert.Equal(1250, upserted.LoyaltyPoints?.Balance.IntValue);
        Assert.Equal(["POST /walletobjects/v1/loyaltyObject"], ApiCalls());
        Assert.Empty(_fake.SchemaErrors);
    }

    [Fact]
    public async Task Upsert_of_an_existing_object_gets_it_then_patches_it()
    {
        var client = CreateClientWithClass();
        var objectId = GoogleWalletTestData.ObjectIdFor("m-42");
        await client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject(points: 1250));
        await client.AddObjectMessageAsync(objectId, new Message { Id = "offer", Header = "Winter drop", Body = "Friday" });

        var upserted = await client.UpsertObjectAsync(GoogleWalletTestData.LoyaltyObject(points: 1300) with { Messages = null });

        Assert.Equal(1300, upserted.LoyaltyPoints?.Balance.IntValue);
        Assert.Equal(
            [
                "POST /walletobjects/v1/loyaltyObject",
                $"GET /walletobjects/v1/loyaltyObject/{objectId}",
                $"PATCH /walletobjects/v1/loyaltyObject/{objectId}",
            ],
            ApiCalls().Skip(2));
        var stored = _fake.StoredObjects[objectId];
        Assert.Equal(1300, stored["loyaltyPoints"]!["balance"]!["int"]!.GetValue<int>());
        Assert.Equal(2, stored["messages"]!.AsArray().Count); // left out of the patch, so kept
        Assert.Empty(_fake.SchemaErrors);
    }

    [Fact]
    public async Task Upsert_skips_the_patch_when_the_stored_object_already_matches()
    {
        var client = CreateClientWithClass();
        await client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject());

        await client.UpsertObjectAsync(GoogleWalletTestData.LoyaltyObject());

        Assert.DoesNotContain(_fake.ApiRequests, request => request.Method == "PATCH");
        Assert.Equal(3, _fake.ApiRequests.Count);
    }

    [Fact]
    public async Task Adds_a_message_and_returns_the_updated_object()
    {
        var client = CreateClientWithClass();
        var objectId = GoogleWalletTestData.ObjectIdFor("m-42");
        await client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject() with { Messages = null });

        var updated = await client.AddObjectMessageAsync(
            objectId, new Message { Id = "winter", Header = "Winter drop", Body = "Early access Friday", MessageType = MessageType.TextAndNotify });

        var message = Assert.Single(updated.Messages!);
        Assert.Equal(MessageType.TextAndNotify, message.MessageType);
        Assert.Equal($"POST /walletobjects/v1/loyaltyObject/{objectId}/addMessage", ApiCalls()[^1]);
        Assert.Contains("\"messageType\":\"TEXT_AND_NOTIFY\"", _fake.ApiRequests[^1].Body, StringComparison.Ordinal);
        Assert.Empty(_fake.SchemaErrors);
    }

    // Google's "Standard error responses" (https://developers.google.com/analytics/devguides/config/mgmt/v3/errors) say to retry
    // 429/403 rateLimitExceeded, 500 and 503 backendError "using exponential back-off"; a Retry-After of 0 (RFC 9110 section
    // 10.2.3) lets the retry go at once.
    [Theory]
    [InlineData(GoogleWalletFault.TooManyRequests, null)]
    [InlineData(GoogleWalletFault.TooManyRequests, 0)]
    [InlineData(GoogleWalletFault.InternalServerError, null)]
    [InlineData(GoogleWalletFault.ServiceUnavailable, null)]
    [InlineData(GoogleWalletFault.ServiceUnavailable, 0)]
    public async Task Retries_throttling_and_server_errors(GoogleWalletFault fault, int? retryAfterSeconds)
    {
        var client = CreateClientWithClass();
        await client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject());
        _fake.RetryAfter = retryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
        _fake.FailNext(2, fault);

        var fetched = await client.GetObjectAsync(GoogleWalletTestData.ObjectIdFor("m-42"));

        Assert.NotNull(fetched);
        Assert.Equal(3, _fake.ApiRequests.Count(request => request.Method == "GET"));
    }

    // A 403 whose reason is a rate limit is Google throttling, retried like a 429 by Google's own discovery-based client
    // (googleapis/google-api-python-client, googleapiclient/http.py _should_retry_response: "Only retry on rate limit related
    // failures", rateLimitExceeded and userRateLimitExceeded); other 403s stay final (the tests below).
    [Theory]
    [InlineData(GoogleWalletFault.RateLimitExceeded)]
    [InlineData(GoogleWalletFault.UserRateLimitExceeded)]
    public async Task Retries_a_403_that_is_a_rate_limit_and_gives_up_on_it_as_a_rate_limit(GoogleWalletFault fault)
    {
        var client = CreateClientWithClass();
        _fake.FailNext(2, fault);

        await client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject());
        _fake.FailNext(10, fault);
        var exception = await Assert.ThrowsAsync<GoogleWalletException>(() => client.GetObjectAsync(GoogleWalletTestData.ObjectIdFor("m-42")));

        Assert.Single(_fake.StoredObjects);
        Assert.Equal(3, _fake.ApiRequests.Count(request => request.Method == "POST"));
        Assert.Equal(HttpStatusCode.Forbidden, exception.StatusCode);
        Assert.True(exception.IsRateLimit);
        Assert.False(exception.IsNotificationQuota);
    }

    [Fact]
    public async Task Gives_up_after_the_configured_number_of_retries()
    {
        var client = CreateClient(options => options.MaxRetryAttempts = 2);
        _fake.FailNext(10, GoogleWalletFault.InternalServerError);

        var exception = await Assert.ThrowsAsync<GoogleWalletException>(() => client.GetObjectAsync(GoogleWalletTestData.ObjectIdFor("m-42")));

        Assert.Equal(HttpStatusCode.InternalServerError, exception.StatusCode);
        Assert.Equal(3, _fake.ApiRequests.Count);
    }

    [Fact]
    public async Task Retries_on_the_wall_clock_while_the_apps_clock_stands_still()
    {
        // The app's TimeProvider is the tests' frozen clock (as in WalletPassesFactory): a back-off timed by it would never end.
        var keyFile = _fake.WriteServiceAccountKeyFile();
        _services = new ServiceCollection()
            .AddSingleton<TimeProvider>(new FakeTimeProvider())
            .AddGoogleWalletClient(options =>
            {
                options.IssuerId = GoogleWalletTestData.IssuerId;
                options.ApiBaseUrl = _fake.ApiBaseUrl;
                options.ServiceAccountKeyFile = keyFile;
                options.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            })
            .BuildServiceProvider();
        var client = _services.GetRequiredService<GoogleWalletClient>();
        _fake.FailNext(1, GoogleWalletFault.InternalServerError);

        await client.InsertClassAsync(GoogleWalletTestData.LoyaltyClass()).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains(GoogleWalletTestData.ClassId, _fake.StoredClasses.Keys);
        Assert.Equal(2, _fake.ApiRequests.Count);
    }

    [Fact]
    public async Task A_403_quota_error_is_not_retried_and_its_exception_carries_no_access_token()
    {
        var client = CreateClient();
        _fake.FailNext(1, GoogleWalletFault.QuotaExceeded);

        var exception = await Assert.ThrowsAsync<GoogleWalletException>(
            () => client.AddObjectMessageAsync(GoogleWalletTestData.ObjectIdFor("m-42"), new Message { Header = "h", Body = "b" }));

        Assert.Equal(HttpStatusCode.Forbidden, exception.StatusCode);
        Assert.Equal("quotaExceeded", exception.Reason);
        Assert.True(exception.IsNotificationQuota);
        Assert.Contains("Quota exceeded", exception.Message, StringComparison.Ordinal);
        Assert.Single(_fake.ApiRequests);
        var accessToken = Assert.Single(_fake.IssuedAccessTokens);
        Assert.DoesNotContain(accessToken, exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer", exception.ToString(), StringComparison.Ordinal);
    }

    // Google's 403 for a service account the issuer has not authorised says permissionDenied (google-wallet/rest-samples issue #1).
    [Fact]
    public async Task A_403_for_a_missing_permission_is_not_the_notification_quota()
    {
        var client = CreateClient();
        _fake.FailNext(1, GoogleWalletFault.PermissionDenied);

        var exception = await Assert.ThrowsAsync<GoogleWalletException>(() => client.GetObjectAsync(GoogleWalletTestData.ObjectIdFor("m-42")));

        Assert.Equal(HttpStatusCode.Forbidden, exception.StatusCode);
        Assert.Equal("permissionDenied", exception.Reason);
        Assert.False(exception.IsNotificationQuota);
    }

    // addMessage is not idempotent: a repeat after a 5xx that came after Google added the message shows it twice.
    [Theory]
    [InlineData(GoogleWalletFault.InternalServerError)]
    [InlineData(GoogleWalletFault.AnswerLost)]
    public async Task An_addMessage_is_never_retried_automatically(GoogleWalletFault fault)
    {
        var client = CreateClientWithClass();
        var objectId = GoogleWalletTestData.ObjectIdFor("m-42");
        await client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject() with { Messages = null });
        _fake.FailNext(1, fault, "/addMessage");

        await Assert.ThrowsAnyAsync<Exception>(() => client.AddObjectMessageAsync(objectId, new Message { Id = "winter", Header = "Winter drop", Body = "Friday" }));

        Assert.Single(_fake.ApiRequests, request => request.Path.EndsWith("/addMessage", StringComparison.Ordinal));
        Assert.Equal(fault == GoogleWalletFault.AnswerLost ? 1 : 0, _fake.StoredObjects[objectId]["messages"]?.AsArray().Count ?? 0);
    }

    [Fact]
    public async Task An_error_body_that_is_not_googles_json_still_gives_the_status()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>upstream failed</html>") };

        var exception = await GoogleWalletException.FromResponseAsync(HttpMethod.Get, "loyaltyObject/1.a", response, CancellationToken.None);

        Assert.Equal(HttpStatusCode.BadGateway, exception.StatusCode);
        Assert.Null(exception.GoogleStatus);
        Assert.Equal("Google Wallet GET loyaltyObject/1.a answered 502 Bad Gateway.", exception.Message);
    }

    /// <summary>
    /// The client's token bucket holds a one-second burst of RequestsPerSecond tokens and adds one every
    /// 1/RequestsPerSecond s, so the long-run rate is RequestsPerSecond. Read from the limiter rather than timed: how
    /// long a batch of calls takes on a loaded machine says nothing about the limit.
    /// </summary>
    [Fact]
    public void The_rate_limit_is_a_one_second_burst_then_one_call_per_interval()
    {
        const int RequestsPerSecond = 10;
        using var limiter = Assert.IsType<TokenBucketRateLimiter>(ClientRateLimitHandler.CreateLimiter(RequestsPerSecond));

        Assert.Equal(RequestsPerSecond, limiter.GetStatistics()!.CurrentAvailablePermits);
        Assert.Equal(TimeSpan.FromSeconds(1.0 / RequestsPerSecond), limiter.ReplenishmentPeriod);
        Assert.True(limiter.IsAutoReplenishing);
    }

    [Fact]
    public async Task A_call_beyond_the_configured_rate_waits_for_a_token_before_it_reaches_Google()
    {
        var client = CreateClient(options => options.RequestsPerSecond = 1);
        // The client's limiter, as AddGoogleWalletClient registers it (keyed by its private ServiceKey).
        var limiter = _services!.GetRequiredKeyedService<RateLimiter>("WalletPasses.Google");
        await client.GetObjectAsync(GoogleWalletTestData.ObjectIdFor("warm-up")); // fetches the access token; spends the one-token burst

        // One token a second: the first call takes the next, the second waits a whole second more for its own.
        var calls = Enumerable.Range(0, 2).Select(i => client.GetObjectAsync(GoogleWalletTestData.ObjectIdFor($"m-{i}"))).ToList();
        await Eventually.HoldsAsync(() => limiter.GetStatistics()!.CurrentQueuedCount > 0, "a call beyond one a second waits in the limiter's queue");
        await Task.WhenAll(calls);

        Assert.Equal(3, _fake.ApiRequests.Count);
    }

    [Fact]
    public async Task A_401_for_a_token_Google_no_longer_accepts_fetches_a_new_token_and_sends_the_call_again()
    {
        // Google's own client libraries do the same: on 401 the credential refreshes its token and the request is sent again
        // (Google.Apis.Auth ServiceCredential.HandleResponseAsync); a cached token would otherwise fail every call until it expires.
        var client = CreateClient();
        await client.InsertClassAsync(GoogleWalletTestData.LoyaltyClass());
        _fake.RevokeAccessTokens();

        var fetched = await client.GetClassAsync(GoogleWalletTestData.ClassId);

        Assert.Equal("Bean Points", fetched?.ProgramName);
        Assert.Equal(2, _fake.TokenRequests.Count);
        Assert.Equal(["POST /walletobjects/v1/loyaltyClass", $"GET /walletobjects/v1/loyaltyClass/{GoogleWalletTestData.ClassId}", $"GET /walletobjects/v1/loyaltyClass/{GoogleWalletTestData.ClassId}"], ApiCalls());
    }

    // Google's 401 says the token is expired or invalid ("Resolve a 401 error: Invalid credentials ... refresh the access
    // token", https://developers.google.com/gmail/api/guides/handle-errors). Refreshed once: a token Google refuses again
    // right after issuing it is not expiry, and fetching more would only hammer the token endpoint while every call fails.
    [Fact]
    public async Task A_401_that_persists_with_a_new_token_is_final_after_one_refresh()
    {
        var client = CreateClientWithClass();
        _fake.FailNext(2, GoogleWalletFault.Unauthenticated);

        var exception = await Assert.ThrowsAsync<GoogleWalletException>(() => client.GetClassAsync(GoogleWalletTestData.ClassId));

        Assert.Equal(HttpStatusCode.Unauthorized, exception.StatusCode);
        Assert.Equal("UNAUTHENTICATED", exception.GoogleStatus);
        Assert.Equal("authError", exception.Reason);
        Assert.Equal(2, _fake.TokenRequests.Count);
        Assert.Equal(2, _fake.ApiRequests.Count(request => request.Method == "GET"));
        Assert.DoesNotContain(_fake.IssuedAccessTokens[^1], exception.ToString(), StringComparison.Ordinal);
    }

    // A write refused for its token was not carried out (401: "the request has not been applied", RFC 9110 section 15.5.2):
    // sent again with the new token, it lands once, with the same body.
    [Fact]
    public async Task A_write_refused_401_for_an_expired_token_lands_once_with_its_body_after_the_refresh()
    {
        var client = CreateClientWithClass();
        var objectId = GoogleWalletTestData.ObjectIdFor("m-42");
        await client.InsertObjectAsync(GoogleWalletTestData.LoyaltyObject());
        _fake.RevokeAccessTokens();

        await client.PatchObjectAsync(new LoyaltyObject { Id = objectId, State = LoyaltyObjectState.Inactive });

        var patches = _fake.ApiRequests.Where(request => request.Method == "PATCH").ToList();
        Assert.Equal(2, patches.Count);
        Assert.Equal(patches[0].Body, patches[1].Body);
        Assert.Equal("INACTIVE", _fake.StoredObjects[objectId]["state"]?.GetValue<string>());
        Assert.Equal(2, _fake.TokenRequests.Count);
    }

    // A 429 or 503 that says when to come back (Retry-After, RFC 9110 section 10.2.3; RFC 6585 section 4): calling sooner only
    // meets the same refusal and spends quota that is out. The caller gives up first; Google heard from the app once.
    [Theory]
    [InlineData(GoogleWalletFault.TooManyRequests)]
    [InlineData(GoogleWalletFault.ServiceUnavailable)]
    public async Task Does_not_call_again_before_Googles_Retry_After(GoogleWalletFault fault)
    {
        var client = CreateClientWithClass();
        _fake.RetryAfter = TimeSpan.FromMinutes(1);
        _fake.FailNext(1, fault);
        using var caller = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetClassAsync(GoogleWalletTestData.ClassId, caller.Token));

        Assert.Single(_fake.ApiRequests, request => request.Method == "GET");
    }

    [Fact]
    public async Task The_fake_answers_401_without_a_valid_bearer_token()
    {
        using var httpClient = new HttpClient { BaseAddress = _fake.ApiBaseUrl };
        using var withoutToken = await httpClient.GetAsync(new Uri("loyaltyClass/1.a", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("loyaltyClass/1.a", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "ya29.made-up");
        using var withWrongToken = await httpClient.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withWrongToken.StatusCode);
        Assert.Contains("UNAUTHENTICATED", await withoutToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fake_rejects_and_records_a_body_that_breaks_the_schema()
    {
        var client = CreateClient();
        await client.GetClassAsync(GoogleWalletTestData.ClassId); // gets a token issued
        using var httpClient = new HttpClient { BaseAddress = _fake.ApiBaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("loyaltyObject", UriKind.Relative))
        {
            Content = new StringContent("""{"id":"1.a","state":"active","colour":"red"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _fake.IssuedAccessTokens[0]);

        using var response = await httpClient.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["$.state", "$.colour"], _fake.SchemaErrors.Select(error => error.Path));
        Assert.Empty(_fake.StoredObjects);
    }

    [Fact]
    public void Binds_options_from_configuration_replacing_the_default_sender_ids()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WalletPasses:Google:IssuerId"] = GoogleWalletTestData.IssuerId,
            ["WalletPasses:Google:ServiceAccountKeyFile"] = _fake.WriteServiceAccountKeyFile(),
            ["WalletPasses:Google:ApiBaseUrl"] = "http://127.0.0.1:9/walletobjects/v1",
            ["WalletPasses:Google:CallbackSenderIds:0"] = "GoogleWalletPasses",
            ["WalletPasses:Google:Origins:0"] = "https://shop.example",
            ["WalletPasses:Google:RequestsPerSecond"] = "5",
        }).Build();
        var services = new ServiceCollection().AddGoogleWalletClient(configuration.GetSection("WalletPasses:Google"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<GoogleWalletOptions>>().Value;
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(GoogleWalletClient));

        Assert.Equal(["GoogleWalletPasses"], options.CallbackSenderIds);
        Assert.Equal(["https://shop.example"], options.Origins);
        Assert.Equal(5, options.RequestsPerSecond);
        Assert.Equal(new Uri("https://pay.google.com/gp/m/issuer/keys"), options.CallbackKeysUrl);
        Assert.Equal(new Uri("http://127.0.0.1:9/walletobjects/v1/"), client.BaseAddress);
        Assert.IsType<HttpCallbackRootKeyProvider>(provider.GetRequiredService<ICallbackRootKeyProvider>());
    }

    [Fact]
    public void Defaults_the_sender_id_to_GooglePayPasses_and_rejects_a_non_numeric_issuer_id_or_a_missing_key_file()
    {
        var keyFile = _fake.WriteServiceAccountKeyFile();
        var services = new ServiceCollection().AddGoogleWalletClient(options =>
        {
            options.IssuerId = "my-issuer";
            options.ServiceAccountKeyFile = keyFile;
        });
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptionsMonitor<GoogleWalletOptions>>();

        var exception = Assert.Throws<OptionsValidationException>(() => options.CurrentValue);
        Assert.Contains("IssuerId", exception.Message, StringComparison.Ordinal);

        using var withoutKeyFile = new ServiceCollection()
            .AddGoogleWalletClient(options =>
            {
                options.IssuerId = GoogleWalletTestData.IssuerId;
                options.ServiceAccountKeyFile = "/nowhere/google.json";
            })
            .BuildServiceProvider();
        var missingKey = Assert.Throws<OptionsValidationException>(() => withoutKeyFile.GetRequiredService<IOptions<GoogleWalletOptions>>().Value);
        Assert.Contains("ServiceAccountKeyFile", missingKey.Message, StringComparison.Ordinal);

        var valid = new ServiceCollection().AddGoogleWalletClient(options =>
        {
            options.IssuerId = GoogleWalletTestData.IssuerId;
            options.ServiceAccountKeyFile = keyFile;
        });
        using var validProvider = valid.BuildServiceProvider();
        Assert.Equal(["GooglePayPasses"], validProvider.GetRequiredService<IOptions<GoogleWalletOptions>>().Value.CallbackSenderIds);
    }

    [Fact]
    public async Task Takes_the_key_as_JSON_text_and_refuses_it_together_with_a_key_file_or_neither()
    {
        var keyFile = _fake.WriteServiceAccountKeyFile();
        var keyJson = await File.ReadAllTextAsync(keyFile);
        var client = CreateClient(options =>
        {
            options.ServiceAccountKeyFile = "";
            options.ServiceAccountKeyJson = keyJson;
        });

        await client.InsertClassAsync(GoogleWalletTestData.LoyaltyClass());

        Assert.Contains(GoogleWalletTestData.ClassId, _fake.StoredClasses.Keys);
        Assert.Single(_fake.TokenRequests);
        Assert.Equal(GoogleWalletFake.ServiceAccountEmail, _services!.GetRequiredService<GoogleServiceAccountKey>().ClientEmail);

        using var both = _fake.CreateClientServices(options => options.ServiceAccountKeyJson = keyJson);
        var bothError = Assert.Throws<OptionsValidationException>(() => both.GetRequiredService<IOptions<GoogleWalletOptions>>().Value);
        Assert.Contains("ServiceAccountKeyFile and ServiceAccountKeyJson are both set", bothError.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", bothError.Message, StringComparison.Ordinal);

        using var neither = _fake.CreateClientServices(options => options.ServiceAccountKeyFile = " ");
        var neitherError = Assert.Throws<OptionsValidationException>(() => neither.GetRequiredService<IOptions<GoogleWalletOptions>>().Value);
        Assert.Contains("set ServiceAccountKeyFile (the path of the service account's JSON key) or ServiceAccountKeyJson", neitherError.Message, StringComparison.Ordinal);
    }

    /// <summary>A client, with the class of <see cref="GoogleWalletTestData.LoyaltyObject"/> already at the fake (objects need it).</summary>
    private GoogleWalletClient CreateClientWithClass()
    {
        _fake.SeedClass(GoogleWalletTestData.LoyaltyClass());
        return CreateClient();
    }

    private GoogleWalletClient CreateClient(Action<GoogleWalletOptions>? adjust = null)
    {
        _services = _fake.CreateClientServices(adjust);
        return _services.GetRequiredService<GoogleWalletClient>();
    }

    private List<string> ApiCalls() => [.. _fake.ApiRequests.Select(request => $"{request.Method} {request.Path}")];
}
