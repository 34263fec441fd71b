using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Google;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Popups;
using WalletPasses.Tests.Publishing;

namespace WalletPasses.Tests.OpenApi;

/// <summary>
/// What a client generated from <c>GET /api/openapi/v1.json</c> meets: representative requests of the backend, staff and
/// public routes (each success and each documented refusal), sent through the real HTTP stack over Azurite, and every
/// answer checked against the document by <see cref="OpenApiConformance"/> (status declared, content type declared,
/// body valid against the declared schema, problem details against the problem schema).
/// </summary>
public sealed class OpenApiConformanceTests(GoogleAppFixture google) : IClassFixture<GoogleAppFixture>
{
    private readonly List<string> _drift = [];
    private OpenApiConformance? _document;

    [Fact]
    public async Task The_backend_routes_answer_only_statuses_content_types_and_bodies_the_document_declares()
    {
        using var backend = google.Factory.CreateBackendClient();
        var memberId = TestMembers.NewId();
        var member = "members/" + memberId;
        const string Jane = """{"displayName": "Jane Doe", "points": 1300, "tier": "gold"}""";

        await ExpectAsync(backend, HttpMethod.Put, member, "members/{memberId}", HttpStatusCode.Created, Json(Jane));
        await ExpectAsync(backend, HttpMethod.Put, member, "members/{memberId}", HttpStatusCode.OK, Json(Jane));
        await ExpectAsync(backend, HttpMethod.Put, member, "members/{memberId}", HttpStatusCode.BadRequest, Json("""{"displayName": "Jane Doe", "points": -5, "tier": "gold"}"""));
        await ExpectAsync(backend, HttpMethod.Put, "members/bad%20id", "members/{memberId}", HttpStatusCode.BadRequest, Json(Jane));
        await ExpectAsync(backend, HttpMethod.Get, member, "members/{memberId}", HttpStatusCode.OK);
        await ExpectAsync(backend, HttpMethod.Get, "members/" + TestMembers.NewId(), "members/{memberId}", HttpStatusCode.NotFound);
        await ExpectAsync(backend, HttpMethod.Get, $"programs/default/{member}", "programs/{programId}/members/{memberId}", HttpStatusCode.OK);
        await ExpectAsync(backend, HttpMethod.Get, $"programs/no-such-program/{member}", "programs/{programId}/members/{memberId}", HttpStatusCode.NotFound);
        await ExpectAsync(backend, HttpMethod.Get, member + "/delivery", "members/{memberId}/delivery", HttpStatusCode.OK);
        await ExpectAsync(backend, HttpMethod.Get, $"programs/default/{member}/delivery", "programs/{programId}/members/{memberId}/delivery", HttpStatusCode.OK);
        await ExpectAsync(backend, HttpMethod.Post, member + "/apple-pass/revoke-token", "members/{memberId}/apple-pass/revoke-token", HttpStatusCode.NoContent);

        var eventJson = TestMembers.PointsEvent(memberId, 1, 1400);
        await ExpectAsync(backend, HttpMethod.Post, "loyalty-events", "loyalty-events", HttpStatusCode.Accepted, Json(eventJson));
        await ExpectAsync(backend, HttpMethod.Post, "loyalty-events", "loyalty-events", HttpStatusCode.Accepted, Json($"[{TestMembers.PointsEvent(memberId, 2, 1500)}]"));
        await ExpectAsync(backend, HttpMethod.Post, "loyalty-events", "loyalty-events", HttpStatusCode.BadRequest, Json("""{"memberId": "m-1", "type": "points.changed"}"""));

        var keyName = "till-" + Guid.NewGuid().ToString("N")[..8];
        await ExpectAsync(backend, HttpMethod.Post, "staff-keys", "staff-keys", HttpStatusCode.Created, JsonContent.Create(new { name = keyName }));
        await ExpectAsync(backend, HttpMethod.Post, "staff-keys", "staff-keys", HttpStatusCode.Conflict, JsonContent.Create(new { name = keyName }));
        await ExpectAsync(backend, HttpMethod.Post, "staff-keys", "staff-keys", HttpStatusCode.BadRequest, JsonContent.Create(new { name = "" }));
        await ExpectAsync(backend, HttpMethod.Get, "staff-keys", "staff-keys", HttpStatusCode.OK);
        await ExpectAsync(backend, HttpMethod.Delete, "staff-keys/" + keyName, "staff-keys/{name}", HttpStatusCode.NoContent);
        await ExpectAsync(backend, HttpMethod.Delete, "staff-keys/" + keyName + "x", "staff-keys/{name}", HttpStatusCode.NotFound);

        var opensAt = google.Factory.Time.GetUtcNow().AddDays(1);
        var popup = await ExpectAsync(backend, HttpMethod.Post, "popups", "popups", HttpStatusCode.Created, Json(PopupApp.PopupJson(opensAt)));
        var popupId = (await popup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await ExpectAsync(backend, HttpMethod.Post, "popups", "popups", HttpStatusCode.BadRequest, Json(PopupApp.PopupJson(opensAt, latitude: 91)));
        await ExpectAsync(backend, HttpMethod.Get, "popups", "popups", HttpStatusCode.OK);
        await ExpectAsync(backend, HttpMethod.Get, "programs/default/popups", "programs/{programId}/popups", HttpStatusCode.OK);
        await ExpectAsync(backend, HttpMethod.Get, "popups/" + popupId, "popups/{popupId}", HttpStatusCode.OK);
        await ExpectAsync(backend, HttpMethod.Put, "popups/" + popupId, "popups/{popupId}", HttpStatusCode.OK, Json(PopupApp.PopupJson(opensAt, name: "Berlin pop-up II")));
        await ExpectAsync(backend, HttpMethod.Get, "popups/no-such-popup", "popups/{popupId}", HttpStatusCode.NotFound);
        await ExpectAsync(backend, HttpMethod.Delete, "popups/" + popupId, "popups/{popupId}", HttpStatusCode.NoContent);

        await ExpectAsync(backend, HttpMethod.Delete, member, "members/{memberId}", HttpStatusCode.NoContent);
        AssertNoDrift();
    }

    [Fact]
    public async Task The_template_routes_answer_only_what_the_document_declares()
    {
        using var backend = google.Factory.CreateBackendClient();
        var programId = "conf-" + Guid.NewGuid().ToString("N")[..8];
        var template = $"programs/{programId}/template";
        var draft = await TemplateZips.ChangedAsync(backend, json => json["programId"] = programId);

        await ExpectAsync(backend, HttpMethod.Get, "programs/default/template", "programs/{programId}/template", HttpStatusCode.OK);
        await ExpectAsync(backend, HttpMethod.Get, template, "programs/{programId}/template", HttpStatusCode.NotFound);
        await ExpectAsync(backend, HttpMethod.Put, template, "programs/{programId}/template", HttpStatusCode.BadRequest, Zip(Encoding.UTF8.GetBytes("not a zip")));
        await ExpectAsync(backend, HttpMethod.Put, template, "programs/{programId}/template", HttpStatusCode.NoContent, Zip(draft));
        await ExpectAsync(backend, HttpMethod.Get, template + "/draft/report", "programs/{programId}/template/draft/report", HttpStatusCode.OK);
        await ExpectAsync(backend, HttpMethod.Get, template + "/draft/preview", "programs/{programId}/template/draft/preview", HttpStatusCode.OK);
        await ExpectAsync(backend, HttpMethod.Get, template + "/draft/preview?format=xml", "programs/{programId}/template/draft/preview", HttpStatusCode.BadRequest);
        await ExpectAsync(backend, HttpMethod.Get, template + "/draft/impact", "programs/{programId}/template/draft/impact", HttpStatusCode.OK);
        await ExpectAsync(backend, HttpMethod.Get, "programs/no-such-program/template/draft/report", "programs/{programId}/template/draft/report", HttpStatusCode.NotFound);
        var published = await ExpectAsync(backend, HttpMethod.Post, template + "/publish", "programs/{programId}/template/publish", HttpStatusCode.Accepted);
        var location = published.Headers.Location?.OriginalString ?? "";
        await ExpectAsync(backend, HttpMethod.Get, location.TrimStart('/')["api/".Length..], "programs/{programId}/template/publications/{publicationId}", HttpStatusCode.OK);
        await ExpectAsync(backend, HttpMethod.Get, template + "/publications/no-such-publication", "programs/{programId}/template/publications/{publicationId}", HttpStatusCode.NotFound);
        await ExpectAsync(backend, HttpMethod.Post, "programs/no-such-program/template/publish", "programs/{programId}/template/publish", HttpStatusCode.NotFound);

        // A draft with an error (an image its tier needs is missing, as TemplatePublishingTests breaks one): 422 with errors.
        var brokenProgram = $"programs/conf-{Guid.NewGuid().ToString("N")[..8]}/template";
        var broken = TemplateZips.Entries(await TemplateZips.ChangedAsync(backend, json => json["programId"] = brokenProgram.Split('/')[1]));
        broken.Remove("images/strip-gold@2x.png");
        await ExpectAsync(backend, HttpMethod.Put, brokenProgram, "programs/{programId}/template", HttpStatusCode.NoContent, Zip(TemplateZips.Zip(broken)));
        await ExpectAsync(backend, HttpMethod.Get, brokenProgram + "/draft/impact", "programs/{programId}/template/draft/impact", HttpStatusCode.UnprocessableEntity);
        await ExpectAsync(backend, HttpMethod.Post, brokenProgram + "/publish", "programs/{programId}/template/publish", HttpStatusCode.UnprocessableEntity);

        using var anonymous = google.Factory.CreateClient();
        await ExpectAsync(anonymous, HttpMethod.Get, "templates/default/images/hero.png", "templates/{programId}/images/{file}", HttpStatusCode.OK);
        await ExpectAsync(anonymous, HttpMethod.Get, "templates/default/images/no-such-image.png", "templates/{programId}/images/{file}", HttpStatusCode.NotFound);
        AssertNoDrift();
    }

    [Fact]
    public async Task The_staff_routes_answer_only_what_the_document_declares()
    {
        using var backend = google.Factory.CreateBackendClient();
        using var staff = google.Factory.CreateStaffClient();
        var (_, barcode) = await StaffTesting.EnrolAsync(google.Factory, backend);

        await ExpectAsync(staff, HttpMethod.Post, "validations", "validations", HttpStatusCode.OK, JsonContent.Create(new { barcode, location = "popup-berlin" }));
        await ExpectAsync(staff, HttpMethod.Post, "validations", "validations", HttpStatusCode.OK, JsonContent.Create(new { barcode = "WP1.not-a-pass" }));
        await ExpectAsync(staff, HttpMethod.Post, "validations", "validations", HttpStatusCode.BadRequest, Json("{}"));
        var perk = JsonContent.Create(new { barcode, perkId = "birthday-drink", idempotencyKey = "conformance-" + Guid.NewGuid().ToString("N")[..8] });
        await ExpectAsync(staff, HttpMethod.Post, "redemptions", "redemptions", HttpStatusCode.OK, perk);
        await ExpectAsync(staff, HttpMethod.Post, "redemptions", "redemptions", HttpStatusCode.Conflict, JsonContent.Create(new { barcode, perkId = "birthday-drink", idempotencyKey = "conformance-" + Guid.NewGuid().ToString("N")[..8] }));
        await ExpectAsync(staff, HttpMethod.Post, "redemptions", "redemptions", HttpStatusCode.Conflict, JsonContent.Create(new { barcode, points = 1_000_000, idempotencyKey = "conformance-" + Guid.NewGuid().ToString("N")[..8] }));
        await ExpectAsync(staff, HttpMethod.Post, "redemptions", "redemptions", HttpStatusCode.UnprocessableEntity, JsonContent.Create(new { barcode = "WP1.not-a-pass", perkId = "birthday-drink", idempotencyKey = "conformance-" + Guid.NewGuid().ToString("N")[..8] }));
        await ExpectAsync(staff, HttpMethod.Post, "redemptions", "redemptions", HttpStatusCode.BadRequest, Json("{}"));
        await ExpectAsync(staff, HttpMethod.Get, "staff/popups", "staff/popups", HttpStatusCode.OK);
        await ExpectAsync(staff, HttpMethod.Get, "staff/me", "staff/me", HttpStatusCode.OK);
        await ExpectAsync(staff, HttpMethod.Get, "staff/voided", "staff/voided", HttpStatusCode.OK);
        await ExpectAsync(staff, HttpMethod.Get, "staff/voided?after=not-a-cursor", "staff/voided", HttpStatusCode.BadRequest);
        await ExpectAsync(backend, HttpMethod.Get, "staff/me", "staff/me", HttpStatusCode.Unauthorized);
        AssertNoDrift();
    }

    [Fact]
    public async Task The_public_and_device_routes_answer_only_what_the_document_declares()
    {
        using var backend = google.Factory.CreateBackendClient();
        using var anonymous = google.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var created = await TestMembers.CreateAsync(backend, TestMembers.NewId());
        var passUrl = new Uri(created.GetProperty("apple").GetProperty("passUrl").GetString()!).PathAndQuery.TrimStart('/')["api/".Length..];

        await ExpectAsync(anonymous, HttpMethod.Get, "health", "health", HttpStatusCode.OK);
        await ExpectAsync(anonymous, HttpMethod.Get, "barcode-keys", "barcode-keys", HttpStatusCode.OK);
        await ExpectAsync(anonymous, HttpMethod.Get, passUrl, "apple/passes/{serialNumber}", HttpStatusCode.OK);
        await ExpectAsync(anonymous, HttpMethod.Head, passUrl, "apple/passes/{serialNumber}", HttpStatusCode.OK);
        await ExpectAsync(anonymous, HttpMethod.Get, passUrl + "0", "apple/passes/{serialNumber}", HttpStatusCode.Forbidden);

        var saveUrl = new Uri(created.GetProperty("google").GetProperty("saveUrl").GetString()!).PathAndQuery.TrimStart('/')["api/".Length..];
        await ExpectAsync(anonymous, HttpMethod.Get, saveUrl, "google/save/{serialNumber}", HttpStatusCode.Redirect);
        await ExpectAsync(anonymous, HttpMethod.Get, saveUrl + "0", "google/save/{serialNumber}", HttpStatusCode.Forbidden);
        await ExpectAsync(anonymous, HttpMethod.Post, "google/callbacks", "google/callbacks", HttpStatusCode.BadRequest, Json(""));
        await ExpectAsync(anonymous, HttpMethod.Post, "google/callbacks", "google/callbacks", HttpStatusCode.Unauthorized, Json("""{"signature": "x", "intermediateSigningKey": {"signedKey": "{}", "signatures": ["x"]}, "protocolVersion": "ECv2SigningOnly", "signedMessage": "{}"}"""));

        // Apple's PassKit web service, as SimulatedDevice speaks it (Apple's "Adding a Web Service to Update Passes").
        var pass = await InstalledPass.IssueAsync(google.Factory);
        var device = "device." + Guid.NewGuid().ToString("N");
        var registration = $"passkit/v1/devices/{device}/registrations/{pass.PassTypeIdentifier}/{pass.SerialNumber}";
        await ExpectAsync(anonymous, HttpMethod.Post, registration, PassKitRegistration, HttpStatusCode.Unauthorized, PushToken(), "ApplePass wrong-token");
        await ExpectAsync(anonymous, HttpMethod.Post, registration, PassKitRegistration, HttpStatusCode.Created, PushToken(), "ApplePass " + pass.AuthenticationToken);
        await ExpectAsync(anonymous, HttpMethod.Post, registration, PassKitRegistration, HttpStatusCode.OK, PushToken(), "ApplePass " + pass.AuthenticationToken);
        await ExpectAsync(anonymous, HttpMethod.Post, registration, PassKitRegistration, HttpStatusCode.BadRequest, Json("""{"pushToken": "nothex"}"""), "ApplePass " + pass.AuthenticationToken);
        var list = $"passkit/v1/devices/{device}/registrations/{pass.PassTypeIdentifier}";
        await ExpectAsync(anonymous, HttpMethod.Get, list, "passkit/v1/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}", HttpStatusCode.OK);
        await ExpectAsync(anonymous, HttpMethod.Get, $"passkit/v1/devices/bad%20device/registrations/{pass.PassTypeIdentifier}", "passkit/v1/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}", HttpStatusCode.BadRequest);
        var latest = $"passkit/v1/passes/{pass.PassTypeIdentifier}/{pass.SerialNumber}";
        await ExpectAsync(anonymous, HttpMethod.Get, latest, "passkit/v1/passes/{passTypeIdentifier}/{serialNumber}", HttpStatusCode.OK, authorization: "ApplePass " + pass.AuthenticationToken);
        await ExpectAsync(anonymous, HttpMethod.Get, $"passkit/v1/passes/no.such.type/{pass.SerialNumber}", "passkit/v1/passes/{passTypeIdentifier}/{serialNumber}", HttpStatusCode.NotFound, authorization: "ApplePass " + pass.AuthenticationToken);
        await ExpectAsync(anonymous, HttpMethod.Post, "passkit/v1/log", "passkit/v1/log", HttpStatusCode.OK, Json("""{"logs": ["conformance test"]}"""));
        await ExpectAsync(anonymous, HttpMethod.Post, "passkit/v1/log", "passkit/v1/log", HttpStatusCode.BadRequest, Json("{}"));
        await ExpectAsync(anonymous, HttpMethod.Delete, registration, PassKitRegistration, HttpStatusCode.OK, authorization: "ApplePass " + pass.AuthenticationToken);
        AssertNoDrift();
    }

    /// <summary>Every operation that asks for a backend or staff key, called without one: the 401 it declares, as problem details.</summary>
    [Fact]
    public async Task Every_keyed_operation_called_without_a_key_answers_a_declared_401_problem()
    {
        var document = await DocumentAsync();
        using var anonymous = google.Factory.CreateClient();
        var keyed = document.MethodsAndRoutes().Where(operation => document.Operation(operation.Method, operation.Route).TryGetProperty("security", out var security)
            && security.EnumerateArray().Any(requirement => requirement.TryGetProperty("BackendKey", out _) || requirement.TryGetProperty("StaffKey", out _))).ToList();

        Assert.Contains(("PUT", "members/{memberId}"), keyed);
        Assert.Contains(("POST", "validations"), keyed);
        foreach (var (method, route) in keyed)
        {
            await ExpectAsync(anonymous, new HttpMethod(method), Sample(route), route, HttpStatusCode.Unauthorized, Json("{}"));
        }

        AssertNoDrift();
    }

    /// <summary>Every operation with a JSON request body: a body that is not JSON (415), malformed (400) and too large (413), each declared.</summary>
    [Fact]
    public async Task Every_json_body_operation_answers_its_declared_400_413_and_415_problems()
    {
        var document = await DocumentAsync();
        var pass = await InstalledPass.IssueAsync(google.Factory);
        var withBody = document.MethodsAndRoutes().Where(operation => document.Operation(operation.Method, operation.Route).TryGetProperty("requestBody", out _)).ToList();

        Assert.Contains(("POST", "loyalty-events"), withBody);
        using var backend = google.Factory.CreateBackendClient();
        var popup = await backend.PostAsync(new Uri("/api/popups", UriKind.Relative), Json(PopupApp.PopupJson(google.Factory.Time.GetUtcNow().AddDays(1))));
        var popupId = (await popup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        foreach (var (method, route) in withBody)
        {
            var operation = document.Operation(method, route);
            var security = operation.TryGetProperty("security", out var requirements) ? requirements.GetRawText() : "";
            using var client = security.Contains("StaffKey", StringComparison.Ordinal) ? google.Factory.CreateStaffClient()
                : security.Contains("BackendKey", StringComparison.Ordinal) ? google.Factory.CreateBackendClient()
                : google.Factory.CreateClient();
            var path = Sample(route).Replace("{passTypeIdentifier}", pass.PassTypeIdentifier, StringComparison.Ordinal).Replace(SampleSerial, pass.SerialNumber, StringComparison.Ordinal).Replace(NoSuchPopup, popupId, StringComparison.Ordinal);
            var authorization = security.Contains("ApplePass", StringComparison.Ordinal) ? "ApplePass " + pass.AuthenticationToken : null;

            await ExpectAsync(client, new HttpMethod(method), path, route, HttpStatusCode.UnsupportedMediaType, new StringContent("points=5", Encoding.UTF8, "text/plain"), authorization);
            await ExpectAsync(client, new HttpMethod(method), path, route, HttpStatusCode.BadRequest, Json("{"), authorization);
            await ExpectAsync(client, new HttpMethod(method), path, route, HttpStatusCode.RequestEntityTooLarge, Json($$"""{"displayName": "{{new string('a', 2 * 1024 * 1024)}}"}"""), authorization);
        }

        AssertNoDrift();
    }

    private const string PassKitRegistration = "passkit/v1/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}/{serialNumber}";
    private const string SampleSerial = "0123456789abcdef0123456789abcdef";
    private const string NoSuchPopup = "no-such-popup";

    /// <summary>A concrete path for a route template: well-formed values that name nothing in particular.</summary>
    private static string Sample(string route) => route
        .Replace("{memberId}", TestMembers.NewId(), StringComparison.Ordinal)
        .Replace("{programId}", "default", StringComparison.Ordinal)
        .Replace("{popupId}", NoSuchPopup, StringComparison.Ordinal)
        .Replace("{name}", "no-such-key", StringComparison.Ordinal)
        .Replace("{publicationId}", "no-such-publication", StringComparison.Ordinal)
        .Replace("{deviceLibraryIdentifier}", "device.conformance", StringComparison.Ordinal)
        .Replace("{serialNumber}", SampleSerial, StringComparison.Ordinal)
        .Replace("{file}", "hero.png", StringComparison.Ordinal);

    private static StringContent Json(string json) => TestMembers.Json(json);

    /// <summary>A registration body as Apple's devices send it (64 hexadecimal digits).</summary>
    private static StringContent PushToken() => Json($$"""{"pushToken": "{{new string('a', 64)}}"}""");

    private static ByteArrayContent Zip(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return content;
    }

    /// <summary>Sends one request, records any drift of its answer from the document, and that it was the answer the scenario is about.</summary>
    private async Task<HttpResponseMessage> ExpectAsync(HttpClient client, HttpMethod method, string path, string route, HttpStatusCode expected, HttpContent? content = null, string? authorization = null)
    {
        var document = await ConformanceAsync();
        using var request = new HttpRequestMessage(method, new Uri("/api/" + path, UriKind.Relative)) { Content = content };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            _drift.Add($"{method} /api/{path}: expected {(int)expected}, got {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
        }

        _drift.AddRange(document.Check(method.Method, route, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, method == HttpMethod.Head ? "" : body));
        return response;
    }

    private void AssertNoDrift() => Assert.True(_drift.Count == 0, string.Join(Environment.NewLine, _drift));

    private async Task<OpenApiConformance> ConformanceAsync() => _document ??= new OpenApiConformance((await DocumentAsync()).Root);

    private async Task<OpenApiDocument> DocumentAsync()
    {
        using var client = google.Factory.CreateClient();
        return new OpenApiDocument(JsonDocument.Parse(await client.GetStringAsync(new Uri(OpenApiDocument.Route, UriKind.Relative))).RootElement);
    }
}
