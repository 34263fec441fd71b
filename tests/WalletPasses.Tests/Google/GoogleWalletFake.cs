using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WalletPasses.Google;

namespace WalletPasses.Tests.Google;

/// <summary>A request as the fake received it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Body, DateTimeOffset ReceivedAt);

/// <summary>Failures the fake can be told to answer with instead of serving a request.</summary>
public enum GoogleWalletFault
{
    /// <summary>429 RESOURCE_EXHAUSTED (reason <c>rateLimitExceeded</c>), with <see cref="GoogleWalletFake.RetryAfter"/> when set: should be retried.</summary>
    TooManyRequests,

    /// <summary>500 INTERNAL (reason <c>internalError</c>): should be retried.</summary>
    InternalServerError,

    /// <summary>503 UNAVAILABLE (reason <c>backendError</c>), with <see cref="GoogleWalletFake.RetryAfter"/> when set: should be retried.</summary>
    ServiceUnavailable,

    /// <summary>
    /// 401 UNAUTHENTICATED (reason <c>authError</c>) although the token was issued: Google refusing the bearer token (revoked,
    /// or expired early). The app fetches a new token once and sends the call again; a second 401 is final.
    /// </summary>
    Unauthenticated,

    /// <summary>403 with Google's notification-quota body (reason <c>quotaExceeded</c>): final.</summary>
    QuotaExceeded,

    /// <summary>403 with Google's body for a service account the issuer has not authorised (reason <c>permissionDenied</c>).</summary>
    PermissionDenied,

    /// <summary>
    /// 403 with reason <c>rateLimitExceeded</c>: Google throttling in the legacy error shape, which Google's own client retries
    /// like a 429 (googleapis/google-api-python-client, googleapiclient/http.py <c>_should_retry_response</c>).
    /// </summary>
    RateLimitExceeded,

    /// <summary>403 with reason <c>userRateLimitExceeded</c>: as <see cref="RateLimitExceeded"/>, per user.</summary>
    UserRateLimitExceeded,

    /// <summary>
    /// 400 with reason <c>invalidResource</c>: Google refuses the payload, final. Its body as Google sent it for a barcode
    /// without a type (google-wallet/rest-samples issue #108: "Barcode type must be set.", domain walletobjects).
    /// </summary>
    InvalidResource,

    /// <summary>The request is carried out, then the connection drops before the answer (a time-out or crash after Google acted).</summary>
    AnswerLost,
}

/// <summary>
/// What becomes of a request <see cref="GoogleWalletFake.HoldNext"/> holds. A request that reached a server may be carried
/// out whether or not its client still waits for the answer (RFC 9110 section 9.2.2: a client that saw no answer cannot
/// know whether the request was applied).
/// </summary>
public enum HeldRequest
{
    /// <summary>Dropped, never carried out, if the client gives up first.</summary>
    DroppedWhenClientLeaves,

    /// <summary>Carried out when released, even if the client gave up on it meanwhile.</summary>
    CarriedOutEvenIfClientLeaves,

    /// <summary>The connection drops at once (the client sees a transport error and may try again); carried out when released.</summary>
    ConnectionDropsThenCarriedOut,
}

/// <summary>Whether the fake's Wallet API answers (the token endpoint always does).</summary>
public enum GoogleWalletAvailability
{
    Up,

    /// <summary>Every API call answers 503 UNAVAILABLE (reason <c>backendError</c>), with <see cref="GoogleWalletFake.RetryAfter"/> when set.</summary>
    Unavailable,

    /// <summary>API calls get no answer until the availability changes (then they are served as it says).</summary>
    Hanging,
}

/// <summary>
/// A local stand-in for Google's OAuth token endpoint, the callback root signing keys and the walletobjects v1
/// loyalty resources, on Kestrel at
/// 127.0.0.1 with a free port. It answers with Google's status codes and error bodies, checks every request body
/// against the discovery schema (<see cref="SchemaErrors"/> collects what it rejected), can be told to fail the
/// next calls, and records every request.
/// </summary>
/// <remarks>
/// It refuses what Google refuses, each from Google's reference:
/// required fields (LoyaltyObject: id, classId, state; LoyaltyClass: id, issuerName, reviewStatus, programName,
/// programLogo; https://developers.google.com/wallet/reference/rest/v1/loyaltyobject and .../loyaltyclass);
/// an object whose class does not exist (404, "IssuerClassNotFoundException",
/// https://developers.google.com/wallet/retail/loyalty-cards/resources/error-codes);
/// a LoyaltyPointsBalance with more than one form ("Only one of these subtypes ... should be populated", discovery
/// document), or loyaltyPoints without one on an insert or update ("balance ... is a required field"); a reviewStatus other
/// than DRAFT or UNDER_REVIEW, a class put back to DRAFT, and an object inserted for a DRAFT class (LoyaltyClass.reviewStatus:
/// "can be set to `draft` or `underReview`", "may not be changed back to `draft`", "A `draft` class cannot be used to create
/// any object"), while UNDER_REVIEW is approved at once, as a GET then shows ("The platform will automatically set this field
/// to `approved`"); more than 10 messages ("The maximum number of these fields is 10", LoyaltyObject.messages);
/// value-added modules without header or uri, or more than ten of them (ValueAddedModuleData in the discovery document); more than 10
/// merchantLocations ("There is a maximum of ten on the object. Any additional MerchantLocations added beyond the 10 will
/// be rejected") or one out of range (MerchantLocation: "Values outside these bounds will be rejected"; see TestData/README.md);
/// a fourth notification of a pass within 24 hours (https://developers.google.com/wallet/retail/loyalty-cards/use-cases/trigger-push-notifications:
/// "limited to 3 per pass within a 24-hour period"), with the 403 body Google sends (captured in
/// edutap-eu/edutap.wallet_google issue #3). A GET answers with the fields Google adds (kind, version, hasUsers,
/// classReference on objects; kind, version on classes). A value-added module's header over 60 characters or body over
/// 50 is not refused: Google documents that it truncates them ("longer strings will be truncated"), and
/// <see cref="ShownModules"/> shows them so, with what else the holder sees (<see cref="ShownMessages"/>).
/// </remarks>
public sealed partial class GoogleWalletFake : IAsyncDisposable
{
    public const string ServiceAccountEmail = "wallet-issuer@walletpasses-test.iam.gserviceaccount.com";

    private const string TokenPath = "/token";
    private const string ApiPath = "/walletobjects/v1/";
    private const string CallbackKeysPath = "/gp/m/issuer/keys";
    private const int MaxMessages = 10;
    private const int MaxMerchantLocations = 10;
    private const int MaxNotificationsPerDay = 3;
    private const int MaxValueAddedModules = 10;
    private const string Draft = "DRAFT";
    private const string UnderReview = "UNDER_REVIEW";

    private static readonly Dictionary<string, string> SchemaOfCollection = new()
    {
        ["loyaltyClass"] = "LoyaltyClass",
        ["loyaltyObject"] = "LoyaltyObject",
    };

    private readonly WebApplication _app;
    private readonly string _keyDirectory = Directory.CreateTempSubdirectory("walletpasses-google-fake-").FullName;
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<SchemaError> _schemaErrors = [];
    private readonly List<string> _issuedAccessTokens = [];
    private readonly List<byte[]> _trustedServiceAccountKeys = [];
    private readonly List<(GoogleWalletFault Fault, string? PathEnd)> _faults = [];
    private readonly List<(string Method, string PathEnd, HeldRequest Held, TaskCompletionSource Arrived, TaskCompletionSource Released)> _holds = [];
    private (double Share, GoogleWalletFault Fault, Random Random)? _randomFaults;
    private readonly List<JsonObject> _callbackRootKeys = [];
    private readonly Dictionary<string, List<DateTimeOffset>> _notifications = [];
    private GoogleWalletAvailability _availability;
    private TaskCompletionSource _availabilityChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, Dictionary<string, JsonObject>> _stores = new()
    {
        ["loyaltyClass"] = [],
        ["loyaltyObject"] = [],
    };

    private GoogleWalletFake(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The value for <see cref="GoogleWalletOptions.ApiBaseUrl"/>.</summary>
    public Uri ApiBaseUrl => new(BaseUrl, ApiPath);

    /// <summary>The <c>token_uri</c> of the key files this fake writes.</summary>
    public Uri TokenUrl => new(BaseUrl, TokenPath);

    /// <summary>The value for <see cref="GoogleWalletOptions.CallbackKeysUrl"/>: serves the keys given to <see cref="PublishCallbackRootKey"/>.</summary>
    public Uri CallbackKeysUrl => new(BaseUrl, CallbackKeysPath);

    public GoogleWalletAvailability Availability
    {
        get
        {
            lock (_gate)
            {
                return _availability;
            }
        }

        set
        {
            TaskCompletionSource changed;
            lock (_gate)
            {
                _availability = value;
                changed = _availabilityChanged;
                _availabilityChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            changed.TrySetResult();
        }
    }

    public IReadOnlyList<RecordedRequest> Requests => Snapshot(_requests);

    /// <summary>Requests to the Wallet API, leaving out the OAuth token requests.</summary>
    public IReadOnlyList<RecordedRequest> ApiRequests => [.. Requests.Where(IsApiCall)];

    public IReadOnlyList<RecordedRequest> TokenRequests => [.. Requests.Where(request => request.Path == TokenPath)];

    /// <summary>Every discovery-schema violation in a request body so far; tests of correct code assert it is empty.</summary>
    public IReadOnlyList<SchemaError> SchemaErrors => Snapshot(_schemaErrors);

    public IReadOnlyList<string> IssuedAccessTokens => Snapshot(_issuedAccessTokens);

    public IReadOnlyDictionary<string, JsonObject> StoredClasses => SnapshotStore("loyaltyClass");

    public IReadOnlyDictionary<string, JsonObject> StoredObjects => SnapshotStore("loyaltyObject");

    /// <summary>
    /// While set, the OAuth token endpoint answers this status with a body that is not OAuth's JSON (a front end's error
    /// page) instead of a token: an outage of the endpoint, not a refusal of the key (RFC 6749 section 5.2 refusals are 400/401).
    /// </summary>
    public HttpStatusCode? TokenEndpointFailure { get; set; }

    /// <summary>
    /// While set, the 429 and 503 answers carry <c>Retry-After</c> in seconds (RFC 9110 section 10.2.3: a 503 or a 429, RFC 6585
    /// section 4, may say how long to wait). Google's pages do not say whether the Wallet API sends it: the app must cope either way.
    /// </summary>
    public TimeSpan? RetryAfter { get; set; }

    /// <summary>The clock of the 24-hour notification window.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>The notifications each object's holder was sent (TEXT_AND_NOTIFY messages, NOTIFY_ON_UPDATE balance changes).</summary>
    public IReadOnlyDictionary<string, int> NotificationsSent
    {
        get
        {
            lock (_gate)
            {
                return _notifications.ToDictionary(entry => entry.Key, entry => entry.Value.Count);
            }
        }
    }

    public static async Task<GoogleWalletFake> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new GoogleWalletFake(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();

        // Port 0 made Kestrel pick a free port; the bound address says which.
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.BaseUrl = new Uri(address + "/");
        return fake;
    }

    /// <summary>
    /// The next <paramref name="count"/> API calls (after the token check) answer <paramref name="fault"/>; with
    /// <paramref name="pathEnd"/>, only calls whose path ends so (say <c>/addMessage</c>), the others served as usual.
    /// </summary>
    public void FailNext(int count, GoogleWalletFault fault, string? pathEnd = null)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Add((fault, pathEnd));
            }
        }
    }

    /// <summary>
    /// Holds the next API call with <paramref name="method"/> whose path ends with <paramref name="pathEnd"/> before
    /// Google acts on it, until released: a request in flight, so that others can overtake it. What happens when the
    /// client stops waiting is <paramref name="held"/>'s.
    /// </summary>
    public (Task Arrived, Action Release) HoldNext(string method, string pathEnd, HeldRequest held = HeldRequest.DroppedWhenClientLeaves)
    {
        var (arrived, released) = (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_gate)
        {
            _holds.Add((method, pathEnd, held, arrived, released));
        }

        return (arrived.Task, () => released.TrySetResult());
    }

    /// <summary>
    /// From now on, each API call (after the token check, and after any <see cref="FailNext"/> faults) answers
    /// <paramref name="fault"/> with probability <paramref name="share"/> (a seeded draw, so a run repeats); 0 stops it.
    /// </summary>
    public void FailShare(double share, GoogleWalletFault fault, int seed)
    {
        lock (_gate)
        {
            _randomFaults = share > 0 ? (share, fault, new Random(seed)) : null;
        }
    }

    /// <summary>
    /// Writes a service-account JSON key with a new RSA key, <see cref="ServiceAccountEmail"/> and <c>token_uri</c>
    /// pointing at this fake, which from then on accepts token requests signed with that key.
    /// </summary>
    /// <returns>The file's path (deleted when the fake is disposed).</returns>
    public string WriteServiceAccountKeyFile()
    {
        using var rsa = RSA.Create(2048);
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var key = new JsonObject
        {
            ["type"] = "service_account",
            ["project_id"] = "walletpasses-test",
            ["private_key_id"] = keyId,
            ["private_key"] = rsa.ExportPkcs8PrivateKeyPem() + "\n",
            ["client_email"] = ServiceAccountEmail,
            ["client_id"] = "100000000000000000001",
            ["auth_uri"] = new Uri(BaseUrl, "/auth").AbsoluteUri,
            ["token_uri"] = TokenUrl.AbsoluteUri,
            ["universe_domain"] = "googleapis.com",
        };
        lock (_gate)
        {
            _trustedServiceAccountKeys.Add(rsa.ExportSubjectPublicKeyInfo());
        }

        var path = Path.Combine(_keyDirectory, $"service-account-{keyId}.json");
        File.WriteAllText(path, key.ToJsonString());
        return path;
    }

    /// <summary>
    /// Google stops accepting the access tokens issued so far (revoked, or expired early for a client whose clock lags): API
    /// calls bearing them get 401 UNAUTHENTICATED until a new token is fetched.
    /// </summary>
    public void RevokeAccessTokens()
    {
        lock (_gate)
        {
            _issuedAccessTokens.Clear();
        }
    }

    /// <summary>Publishes a root signing key for save/delete callbacks, as Google does at its keys URL.</summary>
    public void PublishCallbackRootKey(byte[] subjectPublicKeyInfo, DateTimeOffset expiresAt)
    {
        lock (_gate)
        {
            _callbackRootKeys.Add(new JsonObject
            {
                ["keyValue"] = Convert.ToBase64String(subjectPublicKeyInfo),
                ["protocolVersion"] = "ECv2SigningOnly",
                ["keyExpiration"] = expiresAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        }
    }

    /// <summary>The app's Google client services, pointed at this fake with a new key file, fast retries and no rate limit to speak of.</summary>
    public ServiceProvider CreateClientServices(Action<GoogleWalletOptions>? adjust = null, Action<IServiceCollection>? configure = null)
    {
        var keyFile = WriteServiceAccountKeyFile();
        var services = new ServiceCollection();
        configure?.Invoke(services);
        return services
            .AddGoogleWalletClient(options =>
            {
                options.IssuerId = GoogleWalletTestData.IssuerId;
                options.ApiBaseUrl = ApiBaseUrl;
                options.ServiceAccountKeyFile = keyFile;
                options.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
                options.RequestsPerSecond = 1000;
                adjust?.Invoke(options);
            })
            .BuildServiceProvider();
    }

    /// <summary>Stores a class as if it had been inserted earlier (no request recorded).</summary>
    public void SeedClass(LoyaltyClass loyaltyClass)
    {
        lock (_gate)
        {
            _stores["loyaltyClass"][loyaltyClass.Id] = Reviewed(JsonSerializer.SerializeToNode(loyaltyClass, GoogleWalletJson.Options)!.AsObject());
        }
    }

    public async ValueTask DisposeAsync()
    {
        Availability = GoogleWalletAvailability.Up; // releases hanging requests
        await _app.DisposeAsync();
        Directory.Delete(_keyDirectory, recursive: true);
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "";
        var request = new RecordedRequest(method, path + context.Request.QueryString, body, DateTimeOffset.UtcNow);
        if (!path.StartsWith(ApiPath, StringComparison.Ordinal))
        {
            lock (_gate)
            {
                _requests.Add(request);
            }

            await ServeAsync(context, method, path, body);
            return;
        }

        ApiCallArrived(request);
        try
        {
            await ServeAsync(context, method, path, body);
        }
        finally
        {
            ApiCallEnded();
        }
    }

    private async Task ServeAsync(HttpContext context, string method, string path, string body)
    {
        var answerLost = false;
        if (path == TokenPath && TokenEndpointFailure is { } tokenFailure)
        {
            context.Response.StatusCode = (int)tokenFailure;
            context.Response.ContentType = "text/html; charset=UTF-8";
            await context.Response.WriteAsync("<html><body>Error: Server Error</body></html>", context.RequestAborted);
            return;
        }

        var (status, response) = path == TokenPath && HttpMethods.IsPost(method)
            ? IssueAccessToken(body)
            : path == CallbackKeysPath && HttpMethods.IsGet(method)
                ? CallbackRootKeys()
                : !path.StartsWith(ApiPath, StringComparison.Ordinal)
                    ? FrontEndError(HttpStatusCode.NotFound, "NOT_FOUND", $"No such endpoint: {path}", "notFound")
                    : !IsAuthorized(context.Request)
                        ? InvalidCredentials()
                        : await HeldAsync(context, method, path) ?? await OutageAsync(context.RequestAborted) ?? TakeFault(path, ref answerLost) ?? ServeApi(method, path[ApiPath.Length..], body);

        if (answerLost)
        {
            // Google acted on the request; the caller never hears of it.
            context.Abort();
            return;
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            return; // carried out for a client that is gone (HeldRequest): nobody reads the answer
        }

        context.Response.StatusCode = (int)status;
        if (status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable && RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(response.ToJsonString(), context.RequestAborted);
    }

    // The JWT-bearer grant Google.Apis.Auth sends: an RS256 assertion signed with the service account's key.
    private (HttpStatusCode, JsonNode) IssueAccessToken(string formBody)
    {
        var form = QueryHelpers.ParseQuery(formBody);
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" || !IsTrustedAssertion(form["assertion"].ToString()))
        {
            return (HttpStatusCode.BadRequest, new JsonObject { ["error"] = "invalid_grant", ["error_description"] = "Invalid JWT assertion." });
        }

        var accessToken = "ya29.fake-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        lock (_gate)
        {
            _issuedAccessTokens.Add(accessToken);
        }

        return (HttpStatusCode.OK, new JsonObject { ["access_token"] = accessToken, ["expires_in"] = 3599, ["token_type"] = "Bearer" });
    }

    private bool IsTrustedAssertion(string assertion)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        var claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        if (claims["iss"]?.GetValue<string>() != ServiceAccountEmail
            || claims["scope"]?.GetValue<string>().Split(' ').Contains(GoogleWalletOptions.WalletObjectIssuerScope) != true)
        {
            return false;
        }

        var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var signature = Base64Url.DecodeFromChars(parts[2]);
        lock (_gate)
        {
            return _trustedServiceAccountKeys.Any(publicKey =>
            {
                using var rsa = RSA.Create();
                rsa.ImportSubjectPublicKeyInfo(publicKey, out _);
                return rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            });
        }
    }

    private bool IsAuthorized(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        lock (_gate)
        {
            return authorization.StartsWith("Bearer ", StringComparison.Ordinal)
                && _issuedAccessTokens.Contains(authorization["Bearer ".Length..]);
        }
    }

    private (HttpStatusCode, JsonNode) CallbackRootKeys()
    {
        lock (_gate)
        {
            return (HttpStatusCode.OK, new JsonObject { ["keys"] = new JsonArray([.. _callbackRootKeys.Select(key => key.DeepClone())]) });
        }
    }

    private async Task<(HttpStatusCode, JsonNode)?> HeldAsync(HttpContext context, string method, string path)
    {
        TaskCompletionSource? released = null;
        var held = HeldRequest.DroppedWhenClientLeaves;
        lock (_gate)
        {
            var next = _holds.FindIndex(hold => hold.Method == method && path.EndsWith(hold.PathEnd, StringComparison.Ordinal));
            if (next >= 0)
            {
                (released, held) = (_holds[next].Released, _holds[next].Held);
                _holds[next].Arrived.TrySetResult();
                _holds.RemoveAt(next);
            }
        }

        if (held == HeldRequest.ConnectionDropsThenCarriedOut)
        {
            context.Abort();
        }

        if (released is not null)
        {
            await (held == HeldRequest.DroppedWhenClientLeaves ? released.Task.WaitAsync(context.RequestAborted) : released.Task);
        }

        return null;
    }

    private async Task<(HttpStatusCode, JsonNode)?> OutageAsync(CancellationToken requestAborted)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_availability != GoogleWalletAvailability.Hanging)
                {
                    return _availability == GoogleWalletAvailability.Unavailable
                        ? Unavailable()
                        : null;
                }

                changed = _availabilityChanged.Task;
            }

            await changed.WaitAsync(requestAborted);
        }
    }

    private (HttpStatusCode, JsonNode)? TakeFault(string path, ref bool answerLost)
    {
        GoogleWalletFault fault;
        lock (_gate)
        {
            var next = _faults.FindIndex(entry => entry.PathEnd is null || path.EndsWith(entry.PathEnd, StringComparison.Ordinal));
            if (next >= 0)
            {
                fault = _faults[next].Fault;
                _faults.RemoveAt(next);
            }
            else if (_randomFaults is { } random && random.Random.NextDouble() < random.Share)
            {
                fault = random.Fault;
            }
            else
            {
                return null;
            }
        }

        answerLost = fault == GoogleWalletFault.AnswerLost;
        return fault switch
        {
            GoogleWalletFault.TooManyRequests => FrontEndError(HttpStatusCode.TooManyRequests, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", "rateLimitExceeded"),
            GoogleWalletFault.InternalServerError => FrontEndError(HttpStatusCode.InternalServerError, "INTERNAL", "Internal error encountered.", "internalError"),
            GoogleWalletFault.ServiceUnavailable => Unavailable(),
            GoogleWalletFault.Unauthenticated => InvalidCredentials(),
            GoogleWalletFault.QuotaExceeded => NotificationQuotaExceeded(),
            // Google's body when the service account is not a user of the issuer (google-wallet/rest-samples issue #1).
            GoogleWalletFault.PermissionDenied => ReasonedError(HttpStatusCode.Forbidden, "Permission denied.", "permissionDenied"),
            // Google's legacy error shape for throttling (https://developers.google.com/drive/api/guides/handle-errors, "403: User
            // rate limit exceeded", domain usageLimits; https://developers.google.com/analytics/devguides/config/mgmt/v3/errors,
            // 403 rateLimitExceeded: "Retry using exponential back-off"). Google's Wallet error page lists no throttling answer.
            GoogleWalletFault.RateLimitExceeded => ReasonedError(HttpStatusCode.Forbidden, "Rate Limit Exceeded", "rateLimitExceeded", "usageLimits"),
            GoogleWalletFault.UserRateLimitExceeded => ReasonedError(HttpStatusCode.Forbidden, "User Rate Limit Exceeded", "userRateLimitExceeded", "usageLimits"),
            GoogleWalletFault.InvalidResource => ReasonedError(HttpStatusCode.BadRequest, "Barcode type must be set.", "invalidResource"),
            _ => null, // AnswerLost: served as usual, then the connection is dropped
        };
    }

    // As Google answered a fourth TEXT_AND_NOTIFY message within 24 hours (edutap-eu/edutap.wallet_google issue #3).
    private static (HttpStatusCode, JsonNode) NotificationQuotaExceeded() => ReasonedError(
        HttpStatusCode.Forbidden,
        $"Quota exceeded for issuer {GoogleWalletTestData.IssuerId} when adding TEXT_AND_NOTIFY message to object.",
        GoogleWalletException.QuotaExceededReason);

    // Google's legacy error shape: no "status", the reason in errors[] (domain walletobjects unless said).
    private static (HttpStatusCode, JsonNode) ReasonedError(HttpStatusCode status, string message, string reason, string domain = "walletobjects") =>
        (status, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = (int)status,
                ["message"] = message,
                ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["domain"] = domain, ["reason"] = reason }),
            },
        });

    // Routes: {collection} POST insert; {collection}/{id} GET, PUT, PATCH; {collection}/{id}/addMessage POST.
    private (HttpStatusCode, JsonNode) ServeApi(string method, string route, string body)
    {
        var segments = route.Split('/');
        if (!SchemaOfCollection.TryGetValue(segments[0], out var schema))
        {
            return FrontEndError(HttpStatusCode.NotFound, "NOT_FOUND", $"Unknown collection '{segments[0]}'.", "notFound");
        }

        var collection = segments[0];
        var store = _stores[collection];
        return (method, segments.Length) switch
        {
            ("POST", 1) => WithValidBody(schema, body, resource => Refusal(collection, resource, whole: true, updateOf: null) ?? Insert(collection, store, resource)),
            ("GET", 2) => Get(collection, segments[1]),
            ("PUT", 2) => WithValidBody(schema, body, resource => Refusal(collection, resource, whole: true, updateOf: segments[1]) ?? Update(collection, store, segments[1], resource)),
            ("PATCH", 2) => WithValidBody(schema, body, resource => Refusal(collection, resource, whole: false, updateOf: segments[1]) ?? Patch(collection, store, segments[1], resource)),
            ("POST", 3) when segments[2] == "addMessage" =>
                WithValidBody("AddMessageRequest", body, request => AddMessage(collection, store, segments[1], request)),
            _ => FrontEndError(HttpStatusCode.NotFound, "NOT_FOUND", $"No such method: {method} {route}", "notFound"),
        };
    }

    private (HttpStatusCode, JsonNode) WithValidBody(string schema, string body, Func<JsonObject, (HttpStatusCode, JsonNode)> serve)
    {
        var errors = DiscoverySchemaValidator.WalletObjects.Validate(schema, body);
        if (errors.Count > 0)
        {
            lock (_gate)
            {
                _schemaErrors.AddRange(errors);
            }

            return InvalidArgument($"Invalid {schema}: {string.Join("; ", errors)}");
        }

        if (JsonNode.Parse(body) is not JsonObject resource)
        {
            return InvalidArgument("The body must be a JSON object.");
        }

        if (resource["reviewStatus"]?.GetValue<string>() is { } reviewStatus && reviewStatus is not (Draft or UnderReview))
        {
            // "This field can be set to `draft` or `underReview` using the insert, patch, or update API calls."
            return InvalidArgument("reviewStatus must be UNDER_REVIEW or DRAFT.");
        }

        lock (_gate)
        {
            return serve(resource);
        }
    }

    private static (HttpStatusCode, JsonNode) Insert(string collection, Dictionary<string, JsonObject> store, JsonObject resource)
    {
        var id = resource["id"]?.GetValue<string>();
        if (id is null || !ResourceIdPattern().IsMatch(id))
        {
            return InvalidArgument($"Invalid resource ID: {id}");
        }

        if (store.ContainsKey(id))
        {
            return AlreadyExists(collection, id);
        }

        store[id] = Reviewed(resource);
        return (HttpStatusCode.OK, resource.DeepClone());
    }

    // A GET shows what Google adds to a stored resource (LoyaltyObject: kind, version, hasUsers, classReference).
    private (HttpStatusCode, JsonNode) Get(string collection, string id)
    {
        lock (_gate)
        {
            if (!_stores[collection].TryGetValue(id, out var stored))
            {
                return NotFound(collection, id);
            }

            var resource = stored.DeepClone().AsObject();
            resource["kind"] = "walletobjects#" + collection;
            resource["version"] ??= "1";
            if (collection == "loyaltyObject")
            {
                resource["hasUsers"] ??= false;
                if (resource["classId"]?.GetValue<string>() is { } classId && _stores["loyaltyClass"].TryGetValue(classId, out var loyaltyClass))
                {
                    resource["classReference"] = loyaltyClass.DeepClone();
                }
            }

            return (HttpStatusCode.OK, resource);
        }
    }

    /// <summary>
    /// What Google refuses in a write body (under <see cref="_gate"/>); <paramref name="whole"/>: an insert or full update;
    /// <paramref name="updateOf"/>: the id a PUT or PATCH writes to, null for an insert.
    /// </summary>
    private (HttpStatusCode, JsonNode)? Refusal(string collection, JsonObject resource, bool whole, string? updateOf)
    {
        string[] required = collection == "loyaltyObject"
            ? ["id", "classId", "state"]
            : ["id", "issuerName", "reviewStatus", "programName", "programLogo"];
        if (whole && required.FirstOrDefault(field => resource[field] is null) is { } missing)
        {
            return InvalidArgument($"{missing} is required.");
        }

        if (collection == "loyaltyObject" && resource["classId"]?.GetValue<string>() is { } classId)
        {
            if (!_stores["loyaltyClass"].TryGetValue(classId, out var loyaltyClass))
            {
                return NotFound("loyaltyClass", classId);
            }

            if (updateOf is null && loyaltyClass["reviewStatus"]?.GetValue<string>() == Draft)
            {
                // LoyaltyClass.reviewStatus: "A `draft` class cannot be used to create any object." Google documents the rule,
                // not its answer: see InvalidArgument.
                return InvalidArgument($"Wallet Object Class {{{classId}}} is a draft: no object can be created for it.");
            }
        }

        if (collection == "loyaltyClass" && updateOf is not null && resource["reviewStatus"]?.GetValue<string>() == Draft
            && _stores[collection].TryGetValue(updateOf, out var storedClass) && storedClass["reviewStatus"]?.GetValue<string>() != Draft)
        {
            // LoyaltyClass.reviewStatus: "Once the review state is changed from `draft` it may not be changed back to `draft`."
            // Google documents the rule, not its answer: see InvalidArgument.
            return InvalidArgument($"Wallet Object Class {{{updateOf}}} is no longer a draft.");
        }

        foreach (var points in new[] { "loyaltyPoints", "secondaryLoyaltyPoints" })
        {
            if (resource[points]?["balance"] is JsonObject { Count: > 1 })
            {
                return InvalidArgument($"{points}.balance sets more than one of int, string, double and money.");
            }

            if (whole && resource[points] is JsonObject pointsObject && pointsObject["balance"] is null)
            {
                // LoyaltyPoints.balance: "This is a required field of `loyaltyPoints` and `secondaryLoyaltyPoints`."
                return InvalidArgument($"{points}.balance is required.");
            }
        }

        if (resource["messages"] is JsonArray { Count: > MaxMessages })
        {
            return TooManyMessages();
        }

        if (resource["merchantLocations"] is JsonArray { Count: > MaxMerchantLocations })
        {
            return InvalidArgument($"more than {MaxMerchantLocations} merchantLocations.");
        }

        if (resource["merchantLocations"] is JsonArray locations && locations.Any(location =>
            location?["latitude"]?.GetValue<double>() is not (>= -90 and <= 90) || location["longitude"]?.GetValue<double>() is not (>= -180 and <= 180)))
        {
            return InvalidArgument("a merchantLocations latitude or longitude is out of range.");
        }

        if (ValueAddedModuleRefusal(resource) is { } refusal)
        {
            return refusal;
        }

        // An update (not an insert: nothing was shown before) that asks NOTIFY_ON_UPDATE and changes the balance, a
        // field Google notifies about, notifies the holder.
        return collection == "loyaltyObject" && updateOf is not null && resource["notifyPreference"]?.GetValue<string>() == "NOTIFY_ON_UPDATE"
            && _stores[collection].TryGetValue(updateOf, out var stored)
            && resource["loyaltyPoints"]?["balance"] is { } balance && !JsonNode.DeepEquals(stored["loyaltyPoints"]?["balance"], balance)
            ? Notify(updateOf)
            : null;
    }

    /// <summary>Counts a notification to the object's holder (under <see cref="_gate"/>); the fourth within 24 hours is refused.</summary>
    private (HttpStatusCode, JsonNode)? Notify(string objectId)
    {
        var now = Clock.GetUtcNow();
        if (!_notifications.TryGetValue(objectId, out var sent))
        {
            _notifications[objectId] = sent = [];
        }

        sent.RemoveAll(time => time <= now.AddDays(-1));
        if (sent.Count >= MaxNotificationsPerDay)
        {
            return NotificationQuotaExceeded();
        }

        sent.Add(now);
        return null;
    }

    /// <summary>
    /// ValueAddedModuleData, from the discovery document: "Required fields are header and uri"; on LoyaltyObject and
    /// LoyaltyClass "Maximum of ten".
    /// </summary>
    private static (HttpStatusCode, JsonNode)? ValueAddedModuleRefusal(JsonObject resource)
    {
        if (resource["valueAddedModuleData"] is not JsonArray modules)
        {
            return null;
        }

        if (modules.Count > MaxValueAddedModules)
        {
            return InvalidArgument($"at most {MaxValueAddedModules} valueAddedModuleData.");
        }

        return modules.Any(module => module?["header"] is null || module["uri"] is null)
            ? InvalidArgument("valueAddedModuleData needs header and uri.")
            : null;
    }

    private static (HttpStatusCode, JsonNode) TooManyMessages() =>
        InvalidArgument($"at most {MaxMessages} messages.");

    private static (HttpStatusCode, JsonNode) Update(string collection, Dictionary<string, JsonObject> store, string id, JsonObject resource)
    {
        if (!store.ContainsKey(id))
        {
            return NotFound(collection, id);
        }

        resource["id"] = id;
        store[id] = Reviewed(resource);
        return (HttpStatusCode.OK, resource.DeepClone());
    }

    private static (HttpStatusCode, JsonNode) Patch(string collection, Dictionary<string, JsonObject> store, string id, JsonObject patch)
    {
        if (!store.TryGetValue(id, out var resource))
        {
            return NotFound(collection, id);
        }

        MergeInto(resource, patch);
        Reviewed(resource);
        return (HttpStatusCode.OK, resource.DeepClone());
    }

    /// <summary>
    /// LoyaltyClass.reviewStatus: an issuer sends <c>UNDER_REVIEW</c> and "The platform will automatically set this field to
    /// `approved`", which a GET then shows (objects have no reviewStatus).
    /// </summary>
    private static JsonObject Reviewed(JsonObject resource)
    {
        if (resource["reviewStatus"]?.GetValue<string>() == UnderReview)
        {
            resource["reviewStatus"] = "APPROVED";
        }

        return resource;
    }

    private (HttpStatusCode, JsonNode) AddMessage(string collection, Dictionary<string, JsonObject> store, string id, JsonObject request)
    {
        if (!store.TryGetValue(id, out var resource))
        {
            return NotFound(collection, id);
        }

        if (resource["messages"] is not JsonArray messages)
        {
            resource["messages"] = messages = [];
        }

        if (messages.Count >= MaxMessages)
        {
            return TooManyMessages();
        }

        if (request["message"]?["messageType"]?.GetValue<string>() == "TEXT_AND_NOTIFY" && Notify(id) is { } refused)
        {
            return refused;
        }

        messages.Add(request["message"]!.DeepClone());
        return (HttpStatusCode.OK, new JsonObject { ["resource"] = resource.DeepClone() });
    }

    // Objects merge field by field; arrays and values replace what was there, as in Google's patch.
    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            if (value is JsonObject patchObject && target[name] is JsonObject targetObject)
            {
                MergeInto(targetObject, patchObject);
            }
            else if (value is not null)
            {
                target[name] = value.DeepClone();
            }
        }
    }

    // Google's error-codes page (https://developers.google.com/wallet/retail/loyalty-cards/resources/error-codes) lists one
    // 400, "BadRequestException: Request contains an invalid argument." (google.rpc INVALID_ARGUMENT), and no answer for a
    // rule it documents without one (a draft class): the fake answers that documented 400, never a status Google does not list.
    // Its body is the one the Wallet API sends for a 400: the legacy shape, reason invalidResource in domain walletobjects and
    // no "status" (edutap-eu/edutap.wallet_google issue #44, "Issuer not allowlisted for Merchant Locations", printed from the
    // raw response; google-wallet/rest-samples issue #60, "Invalid resource ID: ..."; rest-samples issue #108, see
    // GoogleWalletFault.InvalidResource).
    private static (HttpStatusCode, JsonNode) InvalidArgument(string detail) =>
        ReasonedError(HttpStatusCode.BadRequest, $"Request contains an invalid argument: {detail}", "invalidResource");

    // The 404s and the 409 of the error-codes page, with its messages ("Wallet Object {id} not found.", "Wallet Object Class
    // {id} not found." for IssuerClassNotFoundException, "Wallet Object Class {id} already exists." for AlreadyExistsException;
    // an object's 409 says "Wallet Object" as its 404 does). The page gives no reason for them: the reasons are the global
    // domain's for these statuses ("Global domain errors", https://developers.google.com/youtube/v3/docs/core_errors:
    // NOT_FOUND notFound, CONFLICT duplicate "tried to create a resource that already exists"), in the same legacy shape as
    // every Wallet body captured above. The app must act on the status code alone, which it does.
    private static (HttpStatusCode, JsonNode) NotFound(string collection, string id) =>
        ReasonedError(HttpStatusCode.NotFound, $"{WalletResourceName(collection)} {{{id}}} not found.", "notFound", "global");

    private static (HttpStatusCode, JsonNode) AlreadyExists(string collection, string id) =>
        ReasonedError(HttpStatusCode.Conflict, $"{WalletResourceName(collection)} {{{id}}} already exists.", "duplicate", "global");

    private static string WalletResourceName(string collection) => collection == "loyaltyClass" ? "Wallet Object Class" : "Wallet Object";

    // The answers of Google's front end rather than of the Wallet service (no route, no valid token, throttling, outages),
    // which the Wallet error-codes page does not list. Google's front end answers a discovery-based API (walletobjects is one:
    // Google/TestData/walletobjects.v1.discovery.json) with both forms of Google's error body at once:
    // - the canonical status, google.rpc.Code by name with its HTTP mapping (https://cloud.google.com/apis/design/errors,
    //   "Error codes" and "HTTP mapping"; googleapis/googleapis google/rpc/code.proto: UNAUTHENTICATED "HTTP Mapping: 401
    //   Unauthorized", RESOURCE_EXHAUSTED "429 Too Many Requests", INTERNAL "500", UNAVAILABLE "503 Service Unavailable");
    // - the legacy errors[] with a reason of the global domain (Google's "Standard error responses",
    //   https://developers.google.com/analytics/devguides/config/mgmt/v3/errors: 401 invalidCredentials "auth token is invalid
    //   or has expired", 429/403 rateLimitExceeded, 500 internalServerError and 503 backendError "Retry using exponential
    //   back-off"; https://developers.google.com/gmail/api/guides/handle-errors, "Resolve a 401 error": reason authError,
    //   location Authorization, locationType header, "refresh the access token").
    // Google's captured bodies show the two together: 401 UNAUTHENTICATED with errors[authError] (dacastro4/laravel-gmail
    // issue #273, enupal/backup issue #44), 429 RESOURCE_EXHAUSTED with errors[rateLimitExceeded] (google-gemini/gemini-cli
    // issue #14831), 500 with errors[internalError] (harababurel/gcsf issue #13). The Wallet service's own refusals (400,
    // 403, 404, 409 above) come without "status": the app may rely on neither member being there.
    private static (HttpStatusCode, JsonNode) FrontEndError(HttpStatusCode status, string googleStatus, string message, string reason, JsonObject? errorEntry = null)
    {
        var entry = errorEntry ?? new JsonObject { ["message"] = message };
        entry["domain"] = "global";
        entry["reason"] = reason;
        return (status, new JsonObject
        {
            ["error"] = new JsonObject { ["code"] = (int)status, ["message"] = message, ["errors"] = new JsonArray(entry), ["status"] = googleStatus },
        });
    }

    private static (HttpStatusCode, JsonNode) Unavailable() =>
        FrontEndError(HttpStatusCode.ServiceUnavailable, "UNAVAILABLE", "The service is currently unavailable.", "backendError");

    // The bearer token is missing, unknown, revoked or expired: as the captured 401s above.
    private static (HttpStatusCode, JsonNode) InvalidCredentials() => FrontEndError(
        HttpStatusCode.Unauthorized,
        "UNAUTHENTICATED",
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
        "authError",
        new JsonObject { ["message"] = "Invalid Credentials", ["location"] = "Authorization", ["locationType"] = "header" });

    private List<T> Snapshot<T>(List<T> list)
    {
        lock (_gate)
        {
            return [.. list];
        }
    }

    private Dictionary<string, JsonObject> SnapshotStore(string collection)
    {
        lock (_gate)
        {
            return _stores[collection].ToDictionary(entry => entry.Key, entry => entry.Value.DeepClone().AsObject());
        }
    }

    // <numeric issuer id>.<suffix of letters, digits, '.', '_', '-'>
    [GeneratedRegex(@"^\d+\.[A-Za-z0-9._-]+$")]
    private static partial Regex ResourceIdPattern();
}
