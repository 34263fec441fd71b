using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Apple;
using WalletPasses.Backend;
using WalletPasses.Delivery;
using WalletPasses.Events;
using WalletPasses.Conformance;
using WalletPasses.Members;
using WalletPasses.Popups;
using WalletPasses.Publishing;
using WalletPasses.OpenApi;
using WalletPasses.Tests.Publishing;
using WalletPasses.Security;
using WalletPasses.Staff;
using WalletPasses.Tests.Apple;
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
        Assert.Equal(["displayName", "language", "notifications", "points", "referralUrl", "sequence", "tier", "timeZone"], OpenApiDocument.PropertyNames(memberInput));
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

        // The customer links' refusals come as a page to a browser: the document lists that content too (only there).
        foreach (var (route, status) in new[] { (ApplePassApi.PassRoute, "403"), (ApplePassApi.PassRoute, "410"), (WalletPasses.Google.GoogleWalletApi.SaveRoute, "410") })
        {
            Assert.True(document.Operation("GET", route).GetProperty("responses").GetProperty(status).GetProperty("content").TryGetProperty("text/html", out _), route + " " + status);
        }

        Assert.False(document.Operation("GET", ApplePassApi.PassRoute).GetProperty("responses").GetProperty("503").GetProperty("content").TryGetProperty("text/html", out _)); // storage down: problem details only
        Assert.False(document.Operation("GET", MembersApi.MemberRoute).GetProperty("responses").GetProperty("404").GetProperty("content").TryGetProperty("text/html", out _));
    }

    [Fact]
    public async Task The_event_and_member_schemas_require_only_what_the_server_refuses_to_go_without_and_let_the_rest_be_null()
    {
        var document = await GetDocumentAsync();
        using var backend = google.Factory.CreateBackendClient();
        var memberId = TestMembers.NewId();

        var member = document.RequestSchema("PUT", MembersApi.MemberRoute);
        Assert.Equal(["displayName", "points", "tier"], OpenApiDocument.Required(member));
        var created = await backend.PutAsync(new Uri($"/api/members/{memberId}", UriKind.Relative), TestMembers.Json("""{"displayName": "Jane Doe", "points": 10, "tier": "silver", "referralUrl": null, "language": null}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var events = document.Resolve(document.Operation("POST", LoyaltyEventsApi.EventsRoute).GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("oneOf")[0]);
        var required = OpenApiDocument.Required(events);
        Assert.Equal(["eventId", "memberId", "occurredAt", "sequence", "type"], required);
        var properties = events.GetProperty("properties");
        Assert.All(required, name => Assert.False(OpenApiDocument.AllowsNull(properties.GetProperty(name)), name));
        Assert.Equal(LoyaltyEventTypes.All, properties.GetProperty("type").GetProperty("enum").EnumerateArray().Select(value => value.GetString()!)); // anything else is a 400
        var optional = OpenApiDocument.PropertyNames(events).Except(required).ToList();
        Assert.Contains("offer", optional);
        Assert.All(optional, name => Assert.True(OpenApiDocument.AllowsNull(properties.GetProperty(name)), name));

        // What a client generated from the schema sends for a points.changed: the required fields, points, every other property null.
        var minimal = JsonNode.Parse(TestMembers.PointsEvent(memberId, 1, 20))!.AsObject();
        var withNulls = minimal.DeepClone().AsObject();
        foreach (var name in optional.Where(name => name != "points"))
        {
            withNulls[name] = null;
        }

        Assert.Equal(HttpStatusCode.Accepted, (await backend.PostAsync(new Uri(EventsPath, UriKind.Relative), TestMembers.Json(withNulls.ToJsonString()))).StatusCode);
        foreach (var name in required)
        {
            var without = minimal.DeepClone().AsObject();
            without.Remove(name);
            var refused = await backend.PostAsync(new Uri(EventsPath, UriKind.Relative), TestMembers.Json(without.ToJsonString()));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(name, out _), name);
        }
    }

    [Fact]
    public async Task No_schema_requires_a_property_the_app_leaves_out_when_null_and_a_member_document_has_every_required_one()
    {
        var document = await GetDocumentAsync();

        Assert.All(document.ObjectSchemas(), schema => Assert.All(OpenApiDocument.Required(schema.Schema), name =>
            Assert.False(OpenApiDocument.AllowsNull(schema.Schema.GetProperty("properties").GetProperty(name)), $"{schema.Name}.{name}")));
        var components = document.Root.GetProperty("components").GetProperty("schemas");
        foreach (var (schema, property) in new[] { ("PublicationDocument", "finishedAt"), ("PublicationDocument", "membersTotal"), ("ValidationResult", "reason"), ("RedemptionAnswer", "perk") })
        {
            Assert.DoesNotContain(property, OpenApiDocument.Required(components.GetProperty(schema)));
        }

        // A member without referralUrl, language or time zone: those are absent from the answer, not null.
        using var backend = google.Factory.CreateBackendClient();
        var answer = await TestMembers.CreateAsync(backend, TestMembers.NewId());
        var required = OpenApiDocument.Required(document.ResponseSchema("PUT", MembersApi.MemberRoute, 201));
        Assert.All(required, name => Assert.True(answer.TryGetProperty(name, out _), name));
        Assert.All(LeftOutWhenNull, name => Assert.False(answer.TryGetProperty(name, out _), name));
        var notifications = document.Resolve(document.ResponseSchema("PUT", MembersApi.MemberRoute, 201)).GetProperty("properties").GetProperty("notifications");
        Assert.Contains(answer.GetProperty("notifications").GetString(), notifications.GetProperty("enum").EnumerateArray().Select(value => value.GetString()));
    }

    [Fact]
    public async Task Every_operation_has_a_summary_declares_its_path_parameters_and_lists_503_and_any_429_with_retry_after()
    {
        var document = await GetDocumentAsync();

        var operations = document.Root.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(item => item.Name is "get" or "put" or "post" or "delete" or "head").Select(item => (Path: path.Name, Method: item.Name, Operation: item.Value)))
            .ToList();
        Assert.Contains(operations, operation => operation.Path == "/api/" + MembersApi.ProgramMemberRoute);
        Assert.All(operations, item =>
        {
            var where = $"{item.Method} {item.Path}";
            Assert.False(string.IsNullOrWhiteSpace(item.Operation.TryGetProperty("summary", out var summary) ? summary.GetString() : null), where);
            List<string?> declared = item.Operation.TryGetProperty("parameters", out var parameters)
                ? [.. parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "path").Select(p => p.GetProperty("name").GetString())]
                : [];
            Assert.Equal(item.Path.Split('/').Where(segment => segment.StartsWith('{')).Select(segment => segment.Trim('{', '}')), declared);
            var unavailable = item.Operation.GetProperty("responses").GetProperty("503");
            Assert.True(unavailable.GetProperty("content").TryGetProperty(OperationDescription.ProblemContentType, out _), where);
            Assert.True(unavailable.GetProperty("headers").TryGetProperty("Retry-After", out _), where);
            // Every 429 the service answers carries Retry-After (the staff limits, PassKit's limits): a client must see it declared.
            if (item.Operation.GetProperty("responses").TryGetProperty("429", out var limited))
            {
                Assert.True(limited.TryGetProperty("headers", out var headers) && headers.TryGetProperty("Retry-After", out _), where + " 429");
            }
        });
    }

    [Fact]
    public async Task The_program_member_routes_answer_as_the_default_programs_plus_unknown_program_and_a_put_without_template_is_409()
    {
        var document = await GetDocumentAsync();

        foreach (var (method, route, programRoute) in new[]
        {
            ("PUT", MembersApi.MemberRoute, MembersApi.ProgramMemberRoute), ("GET", MembersApi.MemberRoute, MembersApi.ProgramMemberRoute),
            ("DELETE", MembersApi.MemberRoute, MembersApi.ProgramMemberRoute), ("GET", DeliveryApi.DeliveryRoute, DeliveryApi.ProgramDeliveryRoute),
            ("POST", ApplePassApi.RevokeTokenRoute, ApplePassApi.ProgramRevokeTokenRoute),
        })
        {
            var statuses = Statuses(document.Operation(method, programRoute));
            Assert.Superset(Statuses(document.Operation(method, route)), statuses);
            Assert.Contains("404", statuses);
        }

        Assert.Equal(OpenApiDocument.PropertyNames(document.RequestSchema("PUT", MembersApi.MemberRoute)), OpenApiDocument.PropertyNames(document.RequestSchema("PUT", MembersApi.ProgramMemberRoute)));
        Assert.Superset(new HashSet<string> { "409", "413", "415" }, Statuses(document.Operation("PUT", MembersApi.ProgramMemberRoute)));

        // The 409 it lists: a program with a draft and no published template yet.
        using var backend = google.Factory.CreateBackendClient();
        var programId = "draft-" + Guid.NewGuid().ToString("N")[..8];
        var draft = await TemplateZips.ChangedAsync(backend, template => template["programId"] = programId);
        Assert.Equal(HttpStatusCode.NoContent, (await TemplateZips.UploadAsync(backend, draft, $"/api/programs/{programId}/template")).StatusCode);
        var put = await backend.PutAsync(new Uri($"/api/programs/{programId}/members/{TestMembers.NewId()}", UriKind.Relative), TestMembers.Json("""{"displayName": "Jane Doe", "points": 10, "tier": "silver"}"""));
        Assert.Equal(HttpStatusCode.Conflict, put.StatusCode);
    }

    [Fact]
    public async Task The_request_headers_of_redemptions_and_loyalty_events_are_declared()
    {
        var document = await GetDocumentAsync();

        Assert.Contains("Idempotency-Key", Headers(document.Operation("POST", RedemptionsApi.RedemptionsRoute)));
        Assert.Contains("X-WalletPasses-Signature", Headers(document.Operation("POST", LoyaltyEventsApi.EventsRoute)));
    }

    [Fact]
    public async Task A_PassKit_route_with_a_malformed_device_identifier_or_serial_answers_the_400_the_document_declares()
    {
        var document = await GetDocumentAsync();
        var pass = await InstalledPass.IssueAsync(google.Factory);
        using var client = google.Factory.CreateClient();
        var malformedDevice = $"/api/passkit/v1/devices/bad%20device/registrations/{pass.PassTypeIdentifier}";
        var malformedSerial = $"/api/passkit/v1/passes/{pass.PassTypeIdentifier}/not-a-serial";

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(new Uri(malformedDevice, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(new Uri(malformedSerial, UriKind.Relative))).StatusCode);
        foreach (var (method, route) in new[] { ("GET", PassKitApi.RegistrationsRoute), ("GET", PassKitApi.PassRoute), ("HEAD", PassKitApi.PassRoute), ("DELETE", PassKitApi.RegistrationRoute), ("POST", PassKitApi.RegistrationRoute) })
        {
            Assert.Contains("400", Statuses(document.Operation(method, route)));
        }
    }

    /// <summary>
    /// The answers of today's changes, each declared where it is answered: a backend key limited to programs gets 404
    /// "Unknown program" on every route of another program, the unprefixed ones (the default program's) included
    /// (ProgramBackendKeyTests); a new program's id may not name the templates container's folders; a staff key's
    /// programs are checked; the "which passes changed" call is limited per device as well.
    /// </summary>
    [Fact]
    public async Task The_program_limit_of_backend_keys_reserved_program_ids_and_the_per_device_list_limit_are_declared()
    {
        var document = await GetDocumentAsync();

        foreach (var (method, route) in new[]
        {
            ("PUT", MembersApi.MemberRoute), ("GET", MembersApi.MemberRoute), ("DELETE", MembersApi.MemberRoute),
            ("GET", DeliveryApi.DeliveryRoute), ("POST", ApplePassApi.RevokeTokenRoute),
            ("GET", MembersApi.ProgramMemberRoute), ("PUT", MembersApi.ProgramMemberRoute),
            ("POST", PopupsApi.PopupsRoute), ("GET", PopupsApi.PopupsRoute), ("GET", PopupsApi.PopupRoute), ("PUT", PopupsApi.PopupRoute), ("DELETE", PopupsApi.PopupRoute),
            ("GET", TemplatePublishingApi.TemplateRoute), ("PUT", TemplatePublishingApi.TemplateRoute), ("GET", TemplatePublishingApi.ImpactRoute),
            ("POST", TemplatePublishingApi.PublishRoute), ("GET", TemplatePublishingApi.PublicationRoute),
            ("GET", TemplateDraftApi.ReportRoute), ("GET", TemplateDraftApi.PreviewRoute),
        })
        {
            Assert.True(Description(document, method, route, "404") is { } notFound && notFound.Contains("BackendPrograms", StringComparison.Ordinal), $"{method} {route}: {Description(document, method, route, "404")}");
        }

        using var backend = google.Factory.CreateBackendClient();
        var reserved = await TemplateZips.UploadAsync(backend, await TemplateZips.ChangedAsync(backend, template => template["programId"] = "drafts"), "/api/programs/drafts/template");
        Assert.Equal(HttpStatusCode.BadRequest, reserved.StatusCode);
        Assert.Contains("drafts", Description(document, "PUT", TemplatePublishingApi.TemplateRoute, "400"), StringComparison.Ordinal);

        var unknownProgram = await backend.PostAsync(new Uri("/api/" + StaffKeysApi.KeysRoute, UriKind.Relative), JsonContent.Create(new { name = "till-" + Guid.NewGuid().ToString("N")[..8], programs = NoSuchProgram }));
        Assert.Equal(HttpStatusCode.BadRequest, unknownProgram.StatusCode);
        Assert.Contains("program", Description(document, "POST", StaffKeysApi.KeysRoute, "400"), StringComparison.Ordinal);

        Assert.Contains(nameof(PassKitOptions.ListCallsPerDevicePerMinute), Description(document, "GET", PassKitApi.RegistrationsRoute, "429"), StringComparison.Ordinal);

        // The backend key's scheme names the setting that limits a key, as the staff key's names where keys come from.
        var backendKey = document.Root.GetProperty("components").GetProperty("securitySchemes").GetProperty("BackendKey").GetProperty("description").GetString();
        Assert.Contains("WalletPasses:ApiKeys:BackendPrograms", backendKey, StringComparison.Ordinal);
    }

    /// <summary>
    /// Only a named program can be retired (the default one never is: <c>POST …/retire</c> answers it 409 "Default
    /// program"), so only its pop-up routes list the "retired" 409; retiring lists the 403 a brand's limited key gets.
    /// </summary>
    [Fact]
    public async Task Only_a_named_programs_pop_up_routes_list_the_retired_409_and_retiring_lists_the_limited_keys_403()
    {
        var document = await GetDocumentAsync();

        Assert.DoesNotContain("409", Statuses(document.Operation("PUT", PopupsApi.PopupRoute)));
        Assert.DoesNotContain("retired", Description(document, "POST", PopupsApi.PopupsRoute, "409"), StringComparison.Ordinal);
        Assert.Contains("retired", Description(document, "PUT", PopupsApi.ProgramPopupRoute, "409"), StringComparison.Ordinal);
        Assert.Contains("retired", Description(document, "POST", PopupsApi.ProgramPopupsRoute, "409"), StringComparison.Ordinal);
        Assert.Contains("WalletPasses:ApiKeys:BackendPrograms", Description(document, "POST", ProgramRetirementApi.RetireRoute, "403"), StringComparison.Ordinal);
    }

    private static readonly string[] NoSuchProgram = ["no-such-program"];

    private static string? Description(OpenApiDocument document, string method, string route, string status) =>
        document.Operation(method, route).GetProperty("responses").TryGetProperty(status, out var response) ? response.GetProperty("description").GetString() : null;

    private const string EventsPath = "/api/" + LoyaltyEventsApi.EventsRoute;

    private static readonly string[] LeftOutWhenNull = ["referralUrl", "language", "timeZone"];

    private static HashSet<string> Statuses(JsonElement operation) => [.. operation.GetProperty("responses").EnumerateObject().Select(response => response.Name)];

    private static List<string?> Headers(JsonElement operation) =>
        operation.TryGetProperty("parameters", out var parameters)
            ? [.. parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString())]
            : [];

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
