using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
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
        // pass (balance 100) and before it reads the holds. A day on, the settled version also gets a new barcode
        // (Barcode:ReissueAfter): the copy scanned a moment ago is still the one being redeemed, not an outdated one.
        var settled = false;
        app.Tables.Before(
            (operations, _) => operations.Any(o => o.StartsWith("GET ", StringComparison.Ordinal) && o.EndsWith($"members(PartitionKey='{memberId}',RowKey='holds')", StringComparison.Ordinal)),
            async () =>
            {
                app.Factory.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
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

    [Theory]
    [InlineData(null, 40L, false)]
    [InlineData(null, 40L, true)]
    [InlineData("birthday-drink", null, false)]
    public async Task A_redemption_recorded_after_the_members_erasure_keeps_nothing_of_them_and_is_refused(string? perkId, long? points, bool earlierHold)
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, points: 100, tier: "gold");
        if (earlierHold)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await RequestAsync(barcode, 10, Guid.NewGuid().ToString())).StatusCode);
        }

        var key = Guid.NewGuid().ToString();

        // The backend erases the member after the redemption read the member and its rows, before it records.
        var erased = false;
        app.Tables.Before(
            (_, body) => body.Contains(key, StringComparison.Ordinal), // the record transaction: nothing before it writes
            async () =>
            {
                Assert.Equal(HttpStatusCode.NoContent, (await _backend.DeleteAsync($"/api/members/{memberId}")).StatusCode);
                erased = true;
            });

        var response = await RedeemAsync(barcode, key, perkId, points);

        Assert.True(erased, "the erasure ran inside the request");
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("Jane", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await RedemptionRowsAsync(memberId));
    }

    [Fact]
    public async Task A_points_request_that_keeps_losing_to_other_writers_answers_busy_with_retry_after_and_requests_nothing()
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, points: 100, tier: "gold");
        Assert.Equal(HttpStatusCode.Accepted, (await RequestAsync(barcode, 10, Guid.NewGuid().ToString())).StatusCode);
        var key = Guid.NewGuid().ToString();

        // Before each attempt's record transaction another writer changes the holds row (its ETag only), so every
        // attempt loses its optimistic write, as under a burst of requests for one member: the endpoint gives up.
        var table = new TableServiceClient(app.Factory.Settings["AzureWebJobsStorage"]).GetTableClient(app.Factory.StoragePrefix + "members");
        var collisions = 0;
        void CollideBeforeTheNextRecord() => app.Tables.Before(
            (_, body) => body.Contains(key, StringComparison.Ordinal),
            async () =>
            {
                var holds = await table.GetEntityAsync<TableEntity>(memberId, "holds");
                await table.UpdateEntityAsync(holds.Value, Azure.ETag.All, TableUpdateMode.Merge);
                collisions++;
                CollideBeforeTheNextRecord();
            });
        CollideBeforeTheNextRecord();

        var busy = await RequestAsync(barcode, 40, key);
        app.Tables.Before((_, _) => false, () => Task.CompletedTask); // no more collisions

        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.True(collisions > 1, $"the request retried its write ({collisions} collisions)");
        Assert.Equal(TimeSpan.FromSeconds(1), busy.Headers.RetryAfter?.Delta); // RFC 9110 10.2.3: when to ask again
        Assert.Equal("application/problem+json", busy.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Busy", (await busy.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());

        // Staff ask again with the same key, as the page does: one hold of 40 is recorded, not two, and none before.
        Assert.Equal(HttpStatusCode.Accepted, (await RequestAsync(barcode, 40, key)).StatusCode);
        var refused = await RequestAsync(barcode, 60, Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(50, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("available").GetInt64());
    }

    private Task<HttpResponseMessage> RequestAsync(string barcode, long points, string key) => RedeemAsync(barcode, key, null, points);

    private async Task<HttpResponseMessage> RedeemAsync(string barcode, string key, string? perkId, long? points)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/redemptions") { Content = JsonContent.Create(new { barcode, perkId, points }) };
        request.Headers.Add("Idempotency-Key", key);
        return await _staff.SendAsync(request);
    }

    /// <summary>The member's rows that carry what staff saw of them: stored redemption answers and points holds.</summary>
    private async Task<List<string>> RedemptionRowsAsync(string memberId)
    {
        var table = new TableServiceClient(app.Factory.Settings["AzureWebJobsStorage"]).GetTableClient(app.Factory.StoragePrefix + "members");
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == memberId, select: ["RowKey"]))
        {
            if (row.RowKey.StartsWith("redemption|", StringComparison.Ordinal) || row.RowKey == "holds")
            {
                rows.Add(row.RowKey);
            }
        }

        return rows;
    }
}
