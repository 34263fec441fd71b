using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Members;

public sealed class MembersApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly HttpClient _backend = app.Factory.CreateBackendClient();

    private static string NewMemberId() => "m-" + Guid.NewGuid().ToString("N")[..12];

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Creating_a_member_returns_201_with_the_member_document_and_replacing_returns_200()
    {
        var memberId = NewMemberId();

        var created = await _backend.PutAsync($"/api/members/{memberId}", Json("""{"displayName": "Jane Doe", "points": 1250, "tier": "gold", "referralUrl": "https://shop.example/r/JANE10", "language": "de"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/members/{memberId}", created.Headers.Location?.OriginalString);
        var document = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(memberId, document.GetProperty("memberId").GetString());
        Assert.Equal("Jane Doe", document.GetProperty("displayName").GetString());
        Assert.Equal(1250, document.GetProperty("points").GetInt64());
        Assert.Equal("gold", document.GetProperty("tier").GetString());
        Assert.Equal("https://shop.example/r/JANE10", document.GetProperty("referralUrl").GetString());
        Assert.Equal("de", document.GetProperty("language").GetString());
        var serial = document.GetProperty("apple").GetProperty("serialNumber").GetString();
        Assert.Matches("^[0-9a-f]{32}$", serial);
        Assert.StartsWith("https://wallet.test/api/", document.GetProperty("apple").GetProperty("passUrl").GetString(), StringComparison.Ordinal);
        Assert.False(document.TryGetProperty("google", out _)); // Google is not configured here

        var replaced = await _backend.PutAsync($"/api/members/{memberId}", Json("""{"displayName": "Jane Doe", "points": 1300, "tier": "gold"}"""));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var after = await (await _backend.GetAsync($"/api/members/{memberId}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1300, after.GetProperty("points").GetInt64());
        Assert.Equal(serial, after.GetProperty("apple").GetProperty("serialNumber").GetString());
        Assert.False(after.TryGetProperty("referralUrl", out _));
    }

    [Fact]
    public async Task An_unknown_member_is_404_problem_details()
    {
        var response = await _backend.GetAsync($"/api/members/{NewMemberId()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key-0000000000")]
    [InlineData("Bearer " + WalletPassesFactory.StaffKey)]
    [InlineData("Basic dGVzdDp0ZXN0")]
    [InlineData("Bearer")]
    public async Task Missing_wrong_or_staff_credentials_get_the_same_401(string? authorization)
    {
        var client = app.Factory.CreateClient();
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        var memberId = NewMemberId();
        var put = await client.PutAsync($"/api/members/{memberId}", Json("""{"displayName": "Jane Doe", "points": 1, "tier": "gold"}"""));
        var get = await client.GetAsync($"/api/members/{memberId}");

        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        var body = await put.Content.ReadAsStringAsync();
        Assert.DoesNotContain("key", body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, (await _backend.GetAsync($"/api/members/{memberId}")).StatusCode);
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "malformed JSON", """{"displayName": "Jane", "points": 12""" },
        { "not an object", """[1, 2, 3]""" },
        { "points as text", """{"displayName": "Jane", "points": "many", "tier": "gold"}""" },
        { "fractional points", """{"displayName": "Jane", "points": 1.5, "tier": "gold"}""" },
        { "points beyond 64 bits", """{"displayName": "Jane", "points": 123456789012345678901234567890, "tier": "gold"}""" },
        { "negative points", """{"displayName": "Jane", "points": -5, "tier": "gold"}""" },
        { "unknown tier", """{"displayName": "Jane", "points": 5, "tier": "diamond"}""" },
        { "missing tier", """{"displayName": "Jane", "points": 5}""" },
        { "missing points", """{"displayName": "Jane", "tier": "gold"}""" },
        { "empty name", """{"displayName": "  ", "points": 5, "tier": "gold"}""" },
        { "name as number", """{"displayName": 42, "points": 5, "tier": "gold"}""" },
        { "control character in name", """{"displayName": "Ja\u0000ne", "points": 5, "tier": "gold"}""" },
        { "unknown property", """{"displayName": "Jane", "points": 5, "tier": "gold", "pionts": 7}""" },
        { "referral URL not http", """{"displayName": "Jane", "points": 5, "tier": "gold", "referralUrl": "javascript:alert(1)"}""" },
        { "bad language", """{"displayName": "Jane", "points": 5, "tier": "gold", "language": "not a language"}""" },
        { "null body", "null" },
        { "empty body", "" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_is_a_400_problem_and_stores_nothing(string because, string body)
    {
        var memberId = NewMemberId();

        var response = await _backend.PutAsync($"/api/members/{memberId}", Json(body));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await _backend.GetAsync($"/api/members/{memberId}")).StatusCode);
    }

    [Fact]
    public async Task A_bad_update_leaves_the_stored_member_untouched()
    {
        var memberId = NewMemberId();
        await _backend.PutAsync($"/api/members/{memberId}", Json("""{"displayName": "Jane Doe", "points": 10, "tier": "gold"}"""));

        var response = await _backend.PutAsync($"/api/members/{memberId}", Json("""{"displayName": "Jane Doe", "points": -1, "tier": "gold"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var member = await (await _backend.GetAsync($"/api/members/{memberId}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(10, member.GetProperty("points").GetInt64());
    }

    [Theory]
    [InlineData("a%5Cb")]
    [InlineData("a%23b")]
    [InlineData("a%3Fb")]
    [InlineData("a%01b")]
    [InlineData("a%2Fb")]
    [InlineData("caf%C3%A9")]
    [InlineData("a%20b")]
    public async Task Member_ids_that_Table_Storage_forbids_are_rejected(string encodedId)
    {
        var response = await _backend.PutAsync($"/api/members/{encodedId}", Json("""{"displayName": "Jane", "points": 5, "tier": "gold"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_member_id_over_128_characters_is_rejected_and_one_of_128_is_accepted()
    {
        var tooLong = await _backend.PutAsync($"/api/members/{new string('x', 129)}", Json("""{"displayName": "Jane", "points": 5, "tier": "gold"}"""));
        var longest = await _backend.PutAsync($"/api/members/{Guid.NewGuid():N}{new string('y', 96)}", Json("""{"displayName": "Jane", "points": 5, "tier": "gold"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
    }

    [Fact]
    public async Task Member_ids_with_permitted_punctuation_round_trip()
    {
        var memberId = $"jane.doe+{Guid.NewGuid():N}@example.com";

        var created = await _backend.PutAsync($"/api/members/{Uri.EscapeDataString(memberId)}", Json("""{"displayName": "Jane", "points": 5, "tier": "silver"}"""));
        var fetched = await _backend.GetFromJsonAsync<JsonElement>($"/api/members/{Uri.EscapeDataString(memberId)}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(memberId, fetched.GetProperty("memberId").GetString());
    }

    [Fact]
    public async Task A_body_over_64_KB_is_413_and_stores_nothing()
    {
        var memberId = NewMemberId();
        var body = $$"""{"displayName": "Jane", "points": 5, "tier": "gold", "referralUrl": "https://x.example/{{new string('a', 70_000)}}"}""";

        var response = await _backend.PutAsync($"/api/members/{memberId}", Json(body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await _backend.GetAsync($"/api/members/{memberId}")).StatusCode);
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_415()
    {
        var response = await _backend.PutAsync($"/api/members/{NewMemberId()}", new StringContent("displayName=Jane", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_member_yield_one_member_with_one_pass()
    {
        var memberId = NewMemberId();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            _backend.PutAsync($"/api/members/{memberId}", Json($$"""{"displayName": "Jane", "points": {{i}}, "tier": "gold"}"""))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode));
        var serials = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apple").GetProperty("serialNumber").GetString()));
        Assert.Single(serials.Distinct());
    }
}
