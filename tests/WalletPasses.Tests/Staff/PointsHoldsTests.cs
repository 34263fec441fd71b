using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using WalletPasses.Staff;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Staff;

/// <summary>The pure rules of points holds.</summary>
public sealed class PointsHoldsRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Unexpired_holds_take_from_the_available_balance_and_expired_ones_do_not()
    {
        PointsHold[] holds = [new("a", 300, Now.AddMinutes(-90), Now.AddMinutes(-30)), new("b", 200, Now.AddMinutes(-10), Now.AddMinutes(50))];

        Assert.Equal(200, PointsHolds.Held(holds, Now));
        Assert.Equal(700, PointsHolds.Available(900, holds, Now));
        Assert.Equal(0, PointsHolds.Available(100, holds, Now));
    }

    [Fact]
    public void Writing_a_hold_drops_expired_ones_and_releasing_removes_only_the_named_one()
    {
        PointsHold[] holds = [new("old", 300, Now.AddHours(-2), Now.AddHours(-1)), new("b", 200, Now, Now.AddHours(1))];

        var added = PointsHolds.With(holds, new PointsHold("c", 50, Now, Now.AddHours(1)), Now);
        var released = PointsHolds.Without(added, "b", Now);

        Assert.Equal(["b", "c"], added.Select(h => h.RedemptionId));
        Assert.Equal(["c"], released.Select(h => h.RedemptionId));
    }
}

/// <summary>
/// A points request holds its points until the backend answers it by event or the hold expires, so staff
/// cannot request more than the member has, however many requests or devices.
/// </summary>
public sealed class PointsHoldsTests(StaffFixture app) : IClassFixture<StaffFixture>
{
    private readonly HttpClient _backend = app.Factory.CreateBackendClient();
    private readonly HttpClient _staff = app.Factory.CreateStaffClient();

    [Fact]
    public async Task Three_requests_for_the_whole_balance_with_different_keys_are_one_hold_and_two_refusals_that_say_why()
    {
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, points: 900, tier: "gold");

        var first = await RequestAsync(barcode, 900);
        var second = await RequestAsync(barcode, 900);
        var third = await RequestAsync(barcode, 1);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        foreach (var refused in new[] { second, third })
        {
            var problem = await AssertInsufficientAsync(refused);
            Assert.Equal(900, problem.GetProperty("balance").GetInt64());
            Assert.Equal(900, problem.GetProperty("held").GetInt64());
            Assert.Equal(0, problem.GetProperty("available").GetInt64());
            Assert.Contains("900 are held by earlier requests", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Concurrent_requests_never_hold_more_than_the_balance()
    {
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, points: 900, tier: "gold");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => RequestAsync(barcode, 300)));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Accepted), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
    }

    [Fact]
    public async Task The_backends_points_event_naming_the_request_ends_its_hold_with_the_new_balance()
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, points: 900, tier: "gold");
        var redemptionId = await RedemptionIdAsync(await RequestAsync(barcode, 500));
        await AssertInsufficientAsync(await RequestAsync(barcode, 401));

        // The ledger took the 500 points off: its event carries the new balance and names the request.
        await SendEventAsync(memberId, $$"""{"eventId": "evt-{{Guid.NewGuid():N}}", "memberId": "{{memberId}}", "sequence": 2, "occurredAt": "2026-11-23T10:00:00Z", "type": "points.changed", "points": 400, "redemptionId": "{{redemptionId}}"}""");
        await TestMembers.WaitForAsync(_backend, memberId, m => m.GetProperty("points").GetInt64() == 400);
        await Eventually.HoldsAsync(async () => (await HoldsJsonAsync(memberId)) == "[]", "the hold is released");

        await AssertInsufficientAsync(await RequestAsync(barcode, 401));
        Assert.Equal(HttpStatusCode.Accepted, (await RequestAsync(barcode, 400)).StatusCode);
    }

    [Fact]
    public async Task A_refusal_event_gives_the_held_points_back()
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, points: 900, tier: "gold");
        var redemptionId = await RedemptionIdAsync(await RequestAsync(barcode, 900));

        await SendEventAsync(memberId, $$"""{"eventId": "evt-{{Guid.NewGuid():N}}", "memberId": "{{memberId}}", "sequence": 2, "occurredAt": "2026-11-23T10:00:00Z", "type": "points.redemption.refused", "redemptionId": "{{redemptionId}}"}""");
        await Eventually.HoldsAsync(async () => (await HoldsJsonAsync(memberId)) == "[]", "the hold is released");

        Assert.Equal(HttpStatusCode.Accepted, (await RequestAsync(barcode, 900)).StatusCode);
    }

    [Theory]
    [InlineData("""{"eventId": "evt-r1", "memberId": "m-1", "sequence": 2, "occurredAt": "2026-11-23T10:00:00Z", "type": "points.redemption.refused"}""")]
    [InlineData("""{"eventId": "evt-r2", "memberId": "m-1", "sequence": 2, "occurredAt": "2026-11-23T10:00:00Z", "type": "points.changed", "points": 5, "redemptionId": "a/b"}""")]
    [InlineData("""{"eventId": "evt-r3", "memberId": "m-1", "sequence": 2, "occurredAt": "2026-11-23T10:00:00Z", "type": "tier.changed", "tier": "gold", "redemptionId": "abc"}""")]
    public async Task A_refusal_without_the_request_id_or_a_bad_or_misplaced_request_id_is_400(string json)
    {
        var response = await _backend.PostAsync("/api/loyalty-events", TestMembers.Json(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("redemptionId", out _));
    }

    [Fact]
    public async Task A_hold_the_backend_never_answers_expires_after_its_lifetime()
    {
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, points: 900, tier: "gold");
        Assert.Equal(HttpStatusCode.Accepted, (await RequestAsync(barcode, 900)).StatusCode);
        await AssertInsufficientAsync(await RequestAsync(barcode, 900));

        app.Factory.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1)); // PointsHoldLifetime's default

        Assert.Equal(HttpStatusCode.Accepted, (await RequestAsync(barcode, 900)).StatusCode);
    }

    private async Task<HttpResponseMessage> RequestAsync(string barcode, long points)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/redemptions") { Content = JsonContent.Create(new { barcode, points }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await _staff.SendAsync(request);
    }

    private async Task SendEventAsync(string memberId, string json) =>
        Assert.Equal(HttpStatusCode.Accepted, (await _backend.PostAsync("/api/loyalty-events", TestMembers.Json(json))).StatusCode);

    private static async Task<string> RedemptionIdAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("redemptionId").GetString()!;
    }

    private static async Task<JsonElement> AssertInsufficientAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("insufficient-points", problem.GetProperty("reason").GetString());
        return problem;
    }

    private async Task<string?> HoldsJsonAsync(string memberId)
    {
        var table = app.Azurite.Tables.GetTableClient(app.Factory.StoragePrefix + "members");
        var row = await table.GetEntityIfExistsAsync<TableEntity>(memberId, "holds");
        return row.HasValue ? row.Value!.GetString("HoldsJson") : null;
    }
}
