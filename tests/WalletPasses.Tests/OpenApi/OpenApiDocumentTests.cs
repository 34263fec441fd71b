using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Apple;
using WalletPasses.Backend;
using WalletPasses.Events;
using WalletPasses.Members;
using WalletPasses.OpenApi;
using WalletPasses.Security;
using WalletPasses.Staff;
using WalletPasses.Tests.Functions;
using WalletPasses.Tests.Google;
using Microsoft.OpenApi;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.OpenApi;

/// <summary>
/// <c>GET /api/openapi/v1.json</c> on the standalone host with every feature on (Google Wallet included): an
/// OpenAPI 3.1 document (spec.openapis.org/oas/v3.1.1) that lists every route the host maps, with schemas,
/// security schemes and problem-details answers (RFC 9457, <c>application/problem+json</c>).
/// </summary>
public sealed class OpenApiDocumentTests(GoogleAppFixture google) : IClassFixture<GoogleAppFixture>
{
    /// <summary>Routes left out of the document on purpose, each with its reason.</summary>
    private static readonly Dictionary<string, string> Excluded = new(StringComparer.Ordinal)
    {
        ["GET " + StaffPageApi.PageRoute] = "the staff page (HTML), not an API",
        ["GET " + StaffPageApi.ScriptRoute] = "the staff page's script",
        ["GET " + StaffPageApi.StylesRoute] = "the staff page's styles",
        ["GET " + StaffPageApi.QrDecoderRoute] = "the staff page's vendored QR decoder",
        ["GET " + StaffPageApi.ServiceWorkerRoute] = "the staff page's service worker",
        ["GET " + OpenApiDocumentation.DocumentRoute] = "the document itself",
        // The demo page and its helpers (api/demo/...) are mapped only in Development, never by this host.
    };

    [Fact]
    public async Task Every_route_the_host_maps_is_an_operation_of_the_document_except_the_pages_and_the_document_itself()
    {
        var document = await GetDocumentAsync();
        var mapped = FunctionsBuildOutput.StandaloneHttpRoutes(google.Factory.Services);

        Assert.Contains("POST " + ValidationsApi.ValidationsRoute, mapped);
        Assert.Contains("GET google/save/{serialNumber}", mapped); // the optional features are on
        Assert.All(Excluded.Keys, route => Assert.Contains(route, mapped)); // no stale exclusion
        Assert.Equal(mapped.Where(route => !Excluded.ContainsKey(route)), document.Operations());
    }

    [Fact]
    public async Task The_document_is_anonymous_identical_on_every_request_and_names_no_key_or_secret()
    {
        using var anonymous = google.Factory.CreateClient();

        var first = await anonymous.GetAsync(new Uri(OpenApiDocument.Route, UriKind.Relative));
        var second = await google.Factory.CreateBackendClient().GetByteArrayAsync(new Uri(OpenApiDocument.Route, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/json", first.Content.Headers.ContentType?.MediaType);
        var text = await first.Content.ReadAsStringAsync();
        Assert.Equal(text, System.Text.Encoding.UTF8.GetString(second));
        Assert.Equal("3.1.1", JsonDocument.Parse(text).RootElement.GetProperty("openapi").GetString());
        var secrets = google.Factory.Settings
            .Where(setting => setting.Value is { Length: >= 8 } && !setting.Key.EndsWith("File", StringComparison.Ordinal)
                && (setting.Key.Contains("Key", StringComparison.Ordinal) || setting.Key.Contains("Secret", StringComparison.Ordinal) || setting.Key.Contains("Password", StringComparison.Ordinal)))
            .Select(setting => setting.Value!)
            .Concat(ApiKeyOptions.DevelopmentKeys)
            .ToList();
        Assert.Contains(WalletPassesFactory.BackendKey, secrets);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_document_is_valid_openapi_with_unique_operation_ids_and_no_dangling_reference()
    {
        var text = await GetTextAsync();

        // Microsoft.OpenApi's own reader and validator (the library the generator writes with).
        var read = Microsoft.OpenApi.OpenApiDocument.Parse(text, "json");
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        var errors = read.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet());
        Assert.Empty(errors ?? []);

        var root = JsonDocument.Parse(text).RootElement;
        var ids = root.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject())
            .Where(operation => operation.Value.ValueKind == JsonValueKind.Object && operation.Value.TryGetProperty("operationId", out _))
            .Select(operation => operation.Value.GetProperty("operationId").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var components = root.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(schema => "#/components/schemas/" + schema.Name).ToHashSet();
        Assert.All(References(root), reference => Assert.Contains(reference, components));
    }

    [Fact]
    public async Task The_member_put_has_its_request_and_both_answers_and_events_and_validations_their_schemas()
    {
        var document = await GetDocumentAsync();

        var memberInput = document.RequestSchema("PUT", MembersApi.MemberRoute);
        Assert.Equal(["displayName", "language", "notifications", "points", "referralUrl", "tier", "timeZone"], OpenApiDocument.PropertyNames(memberInput));
        foreach (var status in new[] { 200, 201 })
        {
            var member = document.ResponseSchema("PUT", MembersApi.MemberRoute, status);
            Assert.Contains("memberId", OpenApiDocument.PropertyNames(member));
            Assert.Contains("serialNumber", OpenApiDocument.PropertyNames(document.Resolve(member.GetProperty("properties").GetProperty("apple"))));
        }

        Assert.Equal(["accepted"], OpenApiDocument.PropertyNames(document.ResponseSchema("POST", LoyaltyEventsApi.EventsRoute, 202)));
        var events = document.Operation("POST", LoyaltyEventsApi.EventsRoute).GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var oneOf = events.GetProperty("oneOf").EnumerateArray().ToList();
        Assert.Contains("sequence", OpenApiDocument.PropertyNames(document.Resolve(oneOf[0])));
        Assert.Equal(LoyaltyEventsApi.MaxEventsPerRequest, oneOf[1].GetProperty("maxItems").GetInt32());

        Assert.Equal(["barcode", "location", "popupId"], OpenApiDocument.PropertyNames(document.RequestSchema("POST", ValidationsApi.ValidationsRoute)));
        var result = document.ResponseSchema("POST", ValidationsApi.ValidationsRoute, 200);
        Assert.Contains("valid", OpenApiDocument.PropertyNames(result));
        Assert.Contains("perks", OpenApiDocument.PropertyNames(result));

        var problem = document.ResponseSchema("GET", MembersApi.MemberRoute, 404, OperationDescription.ProblemContentType);
        Assert.Contains("title", OpenApiDocument.PropertyNames(problem));
    }

    [Fact]
    public async Task Every_backend_and_staff_operation_names_its_key_scheme_and_answers_problems_and_devices_use_the_pass_token()
    {
        var document = await GetDocumentAsync();
        var schemes = document.Root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("BackendKey").GetProperty("scheme").GetString());
        Assert.Equal("bearer", schemes.GetProperty("StaffKey").GetProperty("scheme").GetString());
        Assert.Equal("Authorization", schemes.GetProperty("ApplePass").GetProperty("name").GetString());
        Assert.Equal("header", schemes.GetProperty("ApplePass").GetProperty("in").GetString());

        var keyed = KeyedRoutes();
        Assert.Contains(("PUT " + MembersApi.MemberRoute, "BackendKey"), keyed);
        Assert.Contains(("POST " + ValidationsApi.ValidationsRoute, "StaffKey"), keyed);
        Assert.All(keyed, route =>
        {
            var (method, path) = Split(route.Route);
            var operation = document.Operation(method, path);
            Assert.Equal([route.Scheme], Schemes(operation));
            var problems = operation.GetProperty("responses").EnumerateObject()
                .Where(response => response.Name.StartsWith('4') && response.Value.TryGetProperty("content", out var content) && content.TryGetProperty(OperationDescription.ProblemContentType, out _))
                .Select(response => response.Name).ToList();
            Assert.Contains("401", problems);
        });

        foreach (var (method, route) in new[] { ("POST", PassKitApi.RegistrationRoute), ("DELETE", PassKitApi.RegistrationRoute), ("GET", PassKitApi.PassRoute) })
        {
            Assert.Equal(["AndroidPass", "ApplePass"], Schemes(document.Operation(method, route)));
        }

        Assert.False(document.Operation("GET", "health").TryGetProperty("security", out _));
    }

    private async Task<string> GetTextAsync()
    {
        using var client = google.Factory.CreateClient();
        return await client.GetStringAsync(new Uri(OpenApiDocument.Route, UriKind.Relative));
    }

    private async Task<OpenApiDocument> GetDocumentAsync() => new(JsonDocument.Parse(await GetTextAsync()).RootElement);

    /// <summary>Every mapped route that requires the backend or the staff key (from the endpoints' own metadata), with that key's scheme.</summary>
    private List<(string Route, string Scheme)> KeyedRoutes() =>
    [
        .. google.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(endpoint =>
            {
                var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(data => data.Policy).ToList();
                var scheme = policies.Contains(ApiKeyAuthentication.BackendPolicy) ? "BackendKey" : policies.Contains(ApiKeyAuthentication.StaffPolicy) ? "StaffKey" : null;
                var route = (endpoint.RoutePattern.RawText ?? "").Trim('/')["api/".Length..];
                return scheme is null
                    ? []
                    : (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(method => ($"{method} {route}", scheme));
            }),
    ];

    private static (string Method, string Route) Split(string route) => (route[..route.IndexOf(' ', StringComparison.Ordinal)], route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..]);

    private static List<string> Schemes(JsonElement operation) =>
        [.. operation.GetProperty("security").EnumerateArray().SelectMany(requirement => requirement.EnumerateObject().Select(scheme => scheme.Name)).Order(StringComparer.Ordinal)];

    private static IEnumerable<string> References(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(property =>
            property.Name == "$ref" && property.Value.ValueKind == JsonValueKind.String ? [property.Value.GetString()!] : References(property.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(References),
        _ => [],
    };
}
