using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.OpenApi;

/// <summary>
/// What a client generated from <c>GET /api/openapi/v1.json</c> meets when the service turns it away: a staff key over its
/// rate limit (429) and storage gone (503), on representative backend and staff routes. Each answer must be one the
/// document declares (status, content type, problem body, by <see cref="OpenApiConformance"/>) and carry the Retry-After
/// that RFC 9110 section 10.2.3 (and RFC 6585 section 4 for 429) lets it send, declared as a header of that response, or a
/// generated client cannot know when to come back.
/// </summary>
public sealed class OpenApiLimitsAndOutageTests(OpenApiLimitsFixture app) : IClassFixture<OpenApiLimitsFixture>
{
    [Fact]
    public async Task A_rate_limit_and_a_storage_outage_answer_declared_problems_with_a_declared_Retry_After()
    {
        using var anonymous = app.Factory.CreateClient();
        var document = new OpenApiConformance(JsonDocument.Parse(await anonymous.GetStringAsync(new Uri(OpenApiDocument.Route, UriKind.Relative))).RootElement);
        using var backend = app.Factory.CreateBackendClient();
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, backend);
        using var staff = await NewStaffClientAsync(backend);
        using var otherStaff = await NewStaffClientAsync(backend);
        var answers = new List<(string Method, string Route, HttpStatusCode Expected, HttpResponseMessage Response)>
        {
            ("POST", "validations", HttpStatusCode.OK, await StaffTesting.ValidateAsync(staff, barcode)),
            ("POST", "validations", HttpStatusCode.TooManyRequests, await StaffTesting.ValidateAsync(staff, barcode)),
            ("GET", "staff/popups", HttpStatusCode.TooManyRequests, await staff.GetAsync(new Uri("/api/staff/popups", UriKind.Relative))),
        };

        await app.Azurite.DisposeAsync();
        answers.Add(("PUT", "members/{memberId}", HttpStatusCode.ServiceUnavailable,
            await backend.PutAsync(new Uri("/api/members/" + TestMembers.NewId(), UriKind.Relative), TestMembers.Json("""{"displayName": "Jane Doe", "points": 1, "tier": "silver"}"""))));
        answers.Add(("GET", "members/{memberId}", HttpStatusCode.ServiceUnavailable, await backend.GetAsync(new Uri("/api/members/" + memberId, UriKind.Relative))));
        answers.Add(("POST", "loyalty-events", HttpStatusCode.ServiceUnavailable,
            await backend.PostAsync(new Uri("/api/loyalty-events", UriKind.Relative), TestMembers.Json(TestMembers.PointsEvent(memberId, 1, 5)))));
        answers.Add(("POST", "validations", HttpStatusCode.ServiceUnavailable, await StaffTesting.ValidateAsync(otherStaff, barcode)));

        var drift = new List<string>();
        foreach (var (method, route, expected, response) in answers)
        {
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != expected)
            {
                drift.Add($"{method} {route}: expected {(int)expected}, got {status} {body[..Math.Min(body.Length, 300)]}");
            }

            if (status is 429 or 503 && response.Headers.RetryAfter is null)
            {
                drift.Add($"{method} {route} → {status}: no Retry-After");
            }

            drift.AddRange(document.Check(method, route, status, response.Content.Headers.ContentType?.MediaType, body));
            drift.AddRange(document.CheckHeaders(method, route, status, response.Headers.Select(header => header.Key).Where(name => name == "Retry-After")));
            response.Dispose();
        }

        Assert.True(drift.Count == 0, string.Join(Environment.NewLine, drift));
    }

    /// <summary>A client with a new staff key of its own: a budget of its own under the staff rate limit.</summary>
    private async Task<HttpClient> NewStaffClientAsync(HttpClient backend)
    {
        using var created = await backend.PostAsync(new Uri("/api/staff-keys", UriKind.Relative), JsonContent.Create(new { name = "limits-" + Guid.NewGuid().ToString("N")[..8] }));
        return app.Factory.CreateClientWithKey((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!);
    }
}
