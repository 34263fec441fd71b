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
    /// <summary>429 RESOURCE_EXHAUSTED: should be retried.</summary>
    TooManyRequests,

    /// <summary>500 INTERNAL: should be retried.</summary>
    InternalServerError,

    /// <summary>403 with a quota message (what Google answers past the notification limit): final.</summary>
    QuotaExceeded,
}

/// <summary>Whether the fake's Wallet API answers (the token endpoint always does).</summary>
public enum GoogleWalletAvailability
{
    Up,

    /// <summary>Every API call answers 503 UNAVAILABLE.</summary>
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
public sealed partial class GoogleWalletFake : IAsyncDisposable
{
    public const string ServiceAccountEmail = "wallet-issuer@walletpasses-test.iam.gserviceaccount.com";

    private const string TokenPath = "/token";
    private const string ApiPath = "/walletobjects/v1/";
    private const string CallbackKeysPath = "/gp/m/issuer/keys";

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
    private readonly Queue<GoogleWalletFault> _faults = new();
    private readonly List<JsonObject> _callbackRootKeys = [];
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
    public IReadOnlyList<RecordedRequest> ApiRequests => [.. Requests.Where(request => request.Path.StartsWith(ApiPath, StringComparison.Ordinal))];

    public IReadOnlyList<RecordedRequest> TokenRequests => [.. Requests.Where(request => request.Path == TokenPath)];

    /// <summary>Every discovery-schema violation in a request body so far; tests of correct code assert it is empty.</summary>
    public IReadOnlyList<SchemaError> SchemaErrors => Snapshot(_schemaErrors);

    public IReadOnlyList<string> IssuedAccessTokens => Snapshot(_issuedAccessTokens);

    public IReadOnlyDictionary<string, JsonObject> StoredClasses => SnapshotStore("loyaltyClass");

    public IReadOnlyDictionary<string, JsonObject> StoredObjects => SnapshotStore("loyaltyObject");

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

    /// <summary>The next <paramref name="count"/> API calls (after the token check) answer <paramref name="fault"/>.</summary>
    public void FailNext(int count, GoogleWalletFault fault)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Enqueue(fault);
            }
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
        lock (_gate)
        {
            _requests.Add(new RecordedRequest(method, path + context.Request.QueryString, body, DateTimeOffset.UtcNow));
        }

        var (status, response) = path == TokenPath && HttpMethods.IsPost(method)
            ? IssueAccessToken(body)
            : path == CallbackKeysPath && HttpMethods.IsGet(method)
                ? CallbackRootKeys()
                : !path.StartsWith(ApiPath, StringComparison.Ordinal)
                    ? Error(HttpStatusCode.NotFound, "NOT_FOUND", $"No such endpoint: {path}")
                    : !IsAuthorized(context.Request)
                        ? Error(HttpStatusCode.Unauthorized, "UNAUTHENTICATED",
                            "Request had invalid authentication credentials. Expected OAuth 2 access token.")
                        : await OutageAsync(context.RequestAborted) ?? TakeFault() ?? ServeApi(method, path[ApiPath.Length..], body);

        context.Response.StatusCode = (int)status;
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
                        ? Error(HttpStatusCode.ServiceUnavailable, "UNAVAILABLE", "The service is currently unavailable.")
                        : null;
                }

                changed = _availabilityChanged.Task;
            }

            await changed.WaitAsync(requestAborted);
        }
    }

    private (HttpStatusCode, JsonNode)? TakeFault()
    {
        GoogleWalletFault fault;
        lock (_gate)
        {
            if (!_faults.TryDequeue(out fault))
            {
                return null;
            }
        }

        return fault switch
        {
            GoogleWalletFault.TooManyRequests => Error(HttpStatusCode.TooManyRequests, "RESOURCE_EXHAUSTED", "Too many requests."),
            GoogleWalletFault.InternalServerError => Error(HttpStatusCode.InternalServerError, "INTERNAL", "Internal error encountered."),
            _ => Error(HttpStatusCode.Forbidden, "PERMISSION_DENIED",
                "Quota exceeded: at most 3 notifications per pass in 24 hours."),
        };
    }

    // Routes: {collection} POST insert; {collection}/{id} GET, PUT, PATCH; {collection}/{id}/addMessage POST.
    private (HttpStatusCode, JsonNode) ServeApi(string method, string route, string body)
    {
        var segments = route.Split('/');
        if (!SchemaOfCollection.TryGetValue(segments[0], out var schema))
        {
            return Error(HttpStatusCode.NotFound, "NOT_FOUND", $"Unknown collection '{segments[0]}'.");
        }

        var store = _stores[segments[0]];
        return (method, segments.Length) switch
        {
            ("POST", 1) => WithValidBody(schema, body, resource => Insert(store, resource)),
            ("GET", 2) => Get(store, segments[1]),
            ("PUT", 2) => WithValidBody(schema, body, resource => Update(store, segments[1], resource)),
            ("PATCH", 2) => WithValidBody(schema, body, resource => Patch(store, segments[1], resource)),
            ("POST", 3) when segments[2] == "addMessage" =>
                WithValidBody("AddMessageRequest", body, request => AddMessage(store, segments[1], request)),
            _ => Error(HttpStatusCode.NotFound, "NOT_FOUND", $"No such method: {method} {route}"),
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

            return Error(HttpStatusCode.BadRequest, "INVALID_ARGUMENT", $"Invalid {schema}: {string.Join("; ", errors)}");
        }

        if (JsonNode.Parse(body) is not JsonObject resource)
        {
            return Error(HttpStatusCode.BadRequest, "INVALID_ARGUMENT", "The body must be a JSON object.");
        }

        if (resource["reviewStatus"]?.GetValue<string>() is "APPROVED")
        {
            // Issuers may only ask for review; Google sets APPROVED itself.
            return Error(HttpStatusCode.BadRequest, "INVALID_ARGUMENT", "reviewStatus must be UNDER_REVIEW or DRAFT.");
        }

        lock (_gate)
        {
            return serve(resource);
        }
    }

    private static (HttpStatusCode, JsonNode) Insert(Dictionary<string, JsonObject> store, JsonObject resource)
    {
        var id = resource["id"]?.GetValue<string>();
        if (id is null || !ResourceIdPattern().IsMatch(id))
        {
            return Error(HttpStatusCode.BadRequest, "INVALID_ARGUMENT", $"Invalid resource id '{id}'.");
        }

        if (store.ContainsKey(id))
        {
            return Error(HttpStatusCode.Conflict, "ALREADY_EXISTS", $"Resource already exists: {id}");
        }

        store[id] = resource;
        return (HttpStatusCode.OK, resource.DeepClone());
    }

    private (HttpStatusCode, JsonNode) Get(Dictionary<string, JsonObject> store, string id)
    {
        lock (_gate)
        {
            return store.TryGetValue(id, out var resource) ? (HttpStatusCode.OK, resource.DeepClone()) : NotFound(id);
        }
    }

    private static (HttpStatusCode, JsonNode) Update(Dictionary<string, JsonObject> store, string id, JsonObject resource)
    {
        if (!store.ContainsKey(id))
        {
            return NotFound(id);
        }

        resource["id"] = id;
        store[id] = resource;
        return (HttpStatusCode.OK, resource.DeepClone());
    }

    private static (HttpStatusCode, JsonNode) Patch(Dictionary<string, JsonObject> store, string id, JsonObject patch)
    {
        if (!store.TryGetValue(id, out var resource))
        {
            return NotFound(id);
        }

        MergeInto(resource, patch);
        return (HttpStatusCode.OK, resource.DeepClone());
    }

    private static (HttpStatusCode, JsonNode) AddMessage(Dictionary<string, JsonObject> store, string id, JsonObject request)
    {
        if (!store.TryGetValue(id, out var resource))
        {
            return NotFound(id);
        }

        if (resource["messages"] is not JsonArray messages)
        {
            resource["messages"] = messages = [];
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

    private static (HttpStatusCode, JsonNode) NotFound(string id) =>
        Error(HttpStatusCode.NotFound, "NOT_FOUND", $"Resource not found: {id}");

    private static (HttpStatusCode, JsonNode) Error(HttpStatusCode status, string googleStatus, string message) =>
        (status, new JsonObject
        {
            ["error"] = new JsonObject { ["code"] = (int)status, ["message"] = message, ["status"] = googleStatus },
        });

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
