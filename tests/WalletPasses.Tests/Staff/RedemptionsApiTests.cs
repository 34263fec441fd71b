using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Staff;

public sealed class RedemptionsApiTests(StaffFixture app) : IClassFixture<StaffFixture>
{
    private readonly HttpClient _backend = app.Factory.CreateBackendClient();
    private readonly HttpClient _staff = app.Factory.CreateStaffClient();

    private static string NewKey() => Guid.NewGuid().ToString();

    [Fact]
    public async Task A_once_only_perk_is_redeemed_once_and_then_refused_with_any_other_key()
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, tier: "gold");

        var first = await RedeemAsync(barcode, NewKey(), perkId: "birthday-drink");
        var second = await RedeemAsync(barcode, NewKey(), perkId: "birthday-drink");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var answer = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("redeemed", answer.GetProperty("status").GetString());
        Assert.Equal("Free birthday drink", answer.GetProperty("perk").GetProperty("title").GetString());
        Assert.False(answer.GetProperty("perk").GetProperty("redeemable").GetBoolean());
        Assert.Equal("Jane D.", answer.GetProperty("member").GetProperty("displayName").GetString());
        await AssertRefusedAsync(second, HttpStatusCode.Conflict, "already-redeemed");
        var perks = (await StaffTesting.ValidateOkAsync(_staff, barcode)).GetProperty("perks").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!);
        Assert.False(perks["birthday-drink"].GetProperty("redeemable").GetBoolean());
        Assert.True(perks["birthday-drink"].TryGetProperty("redeemedAt", out _));
        Assert.True(perks["free-shipping"].GetProperty("redeemable").GetBoolean());
        Assert.Equal(1, await CountRowsAsync(memberId, "redemption|"));
    }

    [Fact]
    public async Task The_same_idempotency_key_twice_redeems_once_and_gets_the_same_answer()
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, tier: "gold");
        var key = NewKey();

        var first = await RedeemAsync(barcode, key, perkId: "free-shipping");
        var second = await RedeemAsync(barcode, key, perkId: "free-shipping");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, await CountRowsAsync(memberId, "redemption|"));
        var redemptionId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("redemptionId").GetString();
        var published = await StaffTesting.ActivitiesAsync(StaffTesting.ActivityQueue(app), m => m.GetProperty("type").GetString() == "perk.redeemed" && m.GetProperty("memberId").GetString() == memberId);
        Assert.Equal(redemptionId, Assert.Single(published).GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_idempotency_key_may_come_in_the_body()
    {
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, tier: "gold");
        var key = NewKey();

        var first = await _staff.PostAsync("/api/redemptions", JsonContent.Create(new { barcode, perkId = "birthday-drink", idempotencyKey = key }));
        var second = await _staff.PostAsync("/api/redemptions", JsonContent.Create(new { barcode, perkId = "birthday-drink", idempotencyKey = key }));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Concurrent_redemptions_of_a_once_only_perk_with_different_keys_let_exactly_one_through()
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, tier: "gold");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => RedeemAsync(barcode, NewKey(), perkId: "birthday-drink")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, await CountRowsAsync(memberId, "redemption|"));
        Assert.Equal(1, await CountRowsAsync(memberId, "perk|"));
    }

    [Fact]
    public async Task Concurrent_double_submissions_with_one_key_all_get_the_one_answer()
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, tier: "gold");
        var key = NewKey();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => RedeemAsync(barcode, key, perkId: "birthday-drink")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single((await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()))).Distinct());
        Assert.Equal(1, await CountRowsAsync(memberId, "redemption|"));
    }

    [Fact]
    public async Task Only_perks_of_the_members_current_tier_can_be_redeemed()
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, tier: "gold");
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(barcode, NewKey(), perkId: "free-shipping")).StatusCode);

        // The backend moves the member down a tier: free shipping is not theirs any more.
        (await _backend.PutAsync($"/api/members/{memberId}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 10, "tier": "silver"}"""))).EnsureSuccessStatusCode();

        await AssertRefusedAsync(await RedeemAsync(barcode, NewKey(), perkId: "free-shipping"), HttpStatusCode.UnprocessableEntity, "perk-not-in-tier");
        await AssertRefusedAsync(await RedeemAsync(barcode, NewKey(), perkId: "free-drink-daily"), HttpStatusCode.UnprocessableEntity, "perk-not-in-tier");
        await AssertRefusedAsync(await RedeemAsync(barcode, NewKey(), perkId: "no-such-perk"), HttpStatusCode.UnprocessableEntity, "perk-not-in-tier");
    }

    [Fact]
    public async Task An_unlimited_perk_can_be_redeemed_again_with_a_new_key()
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, tier: "gold");

        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(barcode, NewKey(), perkId: "early-access")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(barcode, NewKey(), perkId: "early-access")).StatusCode);
        Assert.Equal(2, await CountRowsAsync(memberId, "redemption|"));
    }

    [Fact]
    public async Task A_once_per_day_perk_is_redeemable_again_the_next_day()
    {
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, tier: "platinum");

        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(barcode, NewKey(), perkId: "free-drink-daily")).StatusCode);
        await AssertRefusedAsync(await RedeemAsync(barcode, NewKey(), perkId: "free-drink-daily"), HttpStatusCode.Conflict, "already-redeemed");
        app.Factory.Time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(barcode, NewKey(), perkId: "free-drink-daily")).StatusCode);
    }

    [Fact]
    public async Task An_idempotency_key_reused_for_another_redemption_is_refused()
    {
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, tier: "gold");
        var key = NewKey();
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(barcode, key, perkId: "free-shipping")).StatusCode);

        await AssertRefusedAsync(await RedeemAsync(barcode, key, perkId: "early-access"), HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
    }

    [Fact]
    public async Task After_erasure_a_replayed_key_answers_410_and_nothing_of_the_member_is_stored_or_shown()
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, points: 1300, tier: "gold");
        var perkKey = NewKey();
        var pointsKey = NewKey();
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(barcode, perkKey, perkId: "birthday-drink")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await RedeemAsync(barcode, pointsKey, points: 500)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _backend.DeleteAsync($"/api/members/{memberId}")).StatusCode);

        foreach (var (key, perkId, points) in new[] { (perkKey, "birthday-drink", (long?)null), (pointsKey, null, 500), (NewKey(), "free-shipping", null) })
        {
            var replay = await RedeemAsync(barcode, key, perkId, points);

            await AssertRefusedAsync(replay, HttpStatusCode.Gone, "voided");
            var body = await replay.Content.ReadAsStringAsync();
            Assert.DoesNotContain("Jane", body, StringComparison.Ordinal);
            Assert.DoesNotContain("1300", body, StringComparison.Ordinal);
        }

        Assert.Equal(0, await CountRowsAsync(memberId, "redemption|"));
        Assert.Equal(0, await CountRowsAsync(memberId, "holds"));
    }

    [Fact]
    public async Task After_erasure_and_enrolment_again_an_old_key_on_the_old_pass_shows_nothing_of_the_member()
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, tier: "gold");
        var key = NewKey();
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(barcode, key, perkId: "free-shipping")).StatusCode);
        await _backend.DeleteAsync($"/api/members/{memberId}");
        await TestMembers.CreateAsync(_backend, memberId, 10, "gold");

        var replay = await RedeemAsync(barcode, key, perkId: "free-shipping");

        await AssertRefusedAsync(replay, HttpStatusCode.UnprocessableEntity, "voided");
        Assert.DoesNotContain("Jane", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("forged")]
    [InlineData("malformed")]
    public async Task Nothing_is_redeemed_on_an_invalid_pass(string kind)
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, tier: "gold");
        var scanned = kind == "forged" ? barcode[..^3] + "AAA" : barcode[..40];

        await AssertRefusedAsync(await RedeemAsync(scanned, NewKey(), perkId: "free-shipping"), HttpStatusCode.UnprocessableEntity, kind);
        Assert.Equal(0, await CountRowsAsync(memberId, "redemption|"));
    }

    [Fact]
    public async Task Points_are_forwarded_to_the_ledger_not_applied_here()
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, points: 1300, tier: "gold");
        var key = NewKey();

        var response = await RedeemAsync(barcode, key, points: 500);
        var replay = await RedeemAsync(barcode, key, points: 500);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("requested", answer.GetProperty("status").GetString());
        Assert.Equal(500, answer.GetProperty("points").GetInt64());
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal(await response.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(1300, (await TestMembers.GetAsync(_backend, memberId))!.Value.GetProperty("points").GetInt64());

        var request = Assert.Single(await StaffTesting.ActivitiesAsync(StaffTesting.ActivityQueue(app), m => m.GetProperty("type").GetString() == "points.redemption.requested" && m.GetProperty("memberId").GetString() == memberId));
        Assert.Equal(answer.GetProperty("redemptionId").GetString(), request.GetProperty("id").GetString());
        Assert.Equal(500, request.GetProperty("points").GetInt64());
        Assert.Equal(1300, request.GetProperty("balanceShown").GetInt64());
        Assert.Equal("tests", request.GetProperty("staffKey").GetString());
        Assert.Equal("popup-berlin", request.GetProperty("location").GetString());
    }

    [Fact]
    public async Task More_points_than_the_balance_are_refused()
    {
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, points: 100, tier: "gold");

        await AssertRefusedAsync(await RedeemAsync(barcode, NewKey(), points: 101), HttpStatusCode.Conflict, "insufficient-points");
    }

    [Theory]
    [InlineData("""{"barcode": "WP1.x.y", "perkId": "free-shipping"}""", null, "idempotencyKey")]
    [InlineData("""{"barcode": "WP1.x.y", "perkId": "free-shipping"}""", "short", "idempotencyKey")]
    [InlineData("""{"barcode": "WP1.x.y", "perkId": "free-shipping", "idempotencyKey": "body-key-000001"}""", "header-key-00001", "idempotencyKey")]
    [InlineData("""{"barcode": "WP1.x.y", "perkId": "free-shipping", "points": 5}""", "key-000000000001", "perkId")]
    [InlineData("""{"barcode": "WP1.x.y"}""", "key-000000000001", "perkId")]
    [InlineData("""{"barcode": "WP1.x.y", "points": 0}""", "key-000000000001", "points")]
    [InlineData("""{"perkId": "free-shipping"}""", "key-000000000001", "barcode")]
    [InlineData("""{"barcode": "WP1.x.y", "perkId": "free-shipping", "location": "a/b"}""", "key-000000000001", "location")]
    public async Task Bad_redemption_requests_are_400_naming_the_field(string body, string? idempotencyKey, string field)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/redemptions") { Content = TestMembers.Json(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await _staff.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task The_backend_key_cannot_redeem()
    {
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, tier: "gold");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/redemptions") { Content = JsonContent.Create(new { barcode, perkId = "free-shipping" }) };
        request.Headers.Add("Idempotency-Key", NewKey());

        Assert.Equal(HttpStatusCode.Unauthorized, (await _backend.SendAsync(request)).StatusCode);
    }

    private async Task<HttpResponseMessage> RedeemAsync(string barcode, string idempotencyKey, string? perkId = null, long? points = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/redemptions")
        {
            Content = JsonContent.Create(new { barcode, perkId, points, location = "popup-berlin" }, options: new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await _staff.SendAsync(request);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(reason, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
    }

    private async Task<int> CountRowsAsync(string memberId, string rowKeyPrefix)
    {
        var table = app.Azurite.Tables.GetTableClient(app.Factory.StoragePrefix + "members");
        var end = rowKeyPrefix[..^1] + (char)(rowKeyPrefix[^1] + 1);
        return (await table.QueryAsync<TableEntity>(e => e.PartitionKey == memberId && e.RowKey.CompareTo(rowKeyPrefix) >= 0 && e.RowKey.CompareTo(end) < 0).ToListAsync()).Count;
    }
}
