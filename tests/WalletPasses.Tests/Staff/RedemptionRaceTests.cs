using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WalletPasses.Tests.Events;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Staff;

/// <summary>
/// Redemptions racing the member's other writers, each race put at its worst moment by holding one of the
/// redemption's storage calls (<see cref="TableRequestCounter.Before"/>) while the other writer commits.
/// </summary>
public sealed class RedemptionRaceTests(CountedTablesFixture app) : IClassFixture<CountedTablesFixture>
{
    private readonly HttpClient _backend = app.Factory.CreateBackendClient();
    private readonly HttpClient _staff = app.Factory.CreateStaffClient();

    [Fact]
    public async Task A_points_request_checked_before_a_hold_settles_counts_only_the_balance_left_after_it()
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, points: 100, tier: "gold");
        var held = await RequestAsync(barcode, 50, Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Accepted, held.StatusCode);
        var heldId = (await held.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("redemptionId").GetString();

        // The backend settles the hold (balance 50, hold gone, one transaction) after the next request checked the
        // pass (balance 100) and before it reads the holds.
        var settled = false;
        app.Tables.Before(
            (operations, _) => operations.Any(o => o.StartsWith("GET ", StringComparison.Ordinal) && o.EndsWith($"members(PartitionKey='{memberId}',RowKey='holds')", StringComparison.Ordinal)),
            async () =>
            {
                var sent = await _backend.PostAsync("/api/loyalty-events", TestMembers.Json($$"""{"eventId": "evt-{{Guid.NewGuid():N}}", "memberId": "{{memberId}}", "sequence": 2, "occurredAt": "2026-11-23T10:00:00Z", "type": "points.changed", "points": 50, "redemptionId": "{{heldId}}"}"""));
                Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
                await TestMembers.WaitForAsync(_backend, memberId, m => m.GetProperty("points").GetInt64() == 50);
                settled = true;
            });

        var response = await RequestAsync(barcode, 80, Guid.NewGuid().ToString());

        Assert.True(settled, "the settlement ran inside the request");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("insufficient-points", problem.GetProperty("reason").GetString());
        Assert.Equal(50, problem.GetProperty("balance").GetInt64());
        Assert.Equal(50, problem.GetProperty("available").GetInt64());
    }

    private Task<HttpResponseMessage> RequestAsync(string barcode, long points, string key) => RedeemAsync(barcode, key, null, points);

    private async Task<HttpResponseMessage> RedeemAsync(string barcode, string key, string? perkId, long? points)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/redemptions") { Content = JsonContent.Create(new { barcode, perkId, points }) };
        request.Headers.Add("Idempotency-Key", key);
        return await _staff.SendAsync(request);
    }
}
