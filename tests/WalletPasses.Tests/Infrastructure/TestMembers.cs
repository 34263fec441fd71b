using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>What a loyalty backend does in tests: create members, send events, read members back.</summary>
public static class TestMembers
{
    public static string NewId() => "m-" + Guid.NewGuid().ToString("N")[..12];

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> CreateAsync(HttpClient backend, string memberId, long points = 1000, string tier = "silver")
    {
        var response = await backend.PutAsync($"/api/members/{memberId}", Json($$"""{"displayName": "Jane Doe", "points": {{points}}, "tier": "{{tier}}"}"""));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement?> GetAsync(HttpClient backend, string memberId)
    {
        var response = await backend.GetAsync($"/api/members/{memberId}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
    }

    /// <summary>The member's signed Apple pass link, as the backend hands it to the customer.</summary>
    public static async Task<Uri> PassUrlAsync(HttpClient backend, string memberId) =>
        new((await GetAsync(backend, memberId))!.Value.GetProperty("apple").GetProperty("passUrl").GetString()!);

    public static string PointsEvent(string memberId, long sequence, long points, string? eventId = null) =>
        $$"""{"eventId": "{{eventId ?? "evt-" + Guid.NewGuid().ToString("N")}}", "memberId": "{{memberId}}", "sequence": {{sequence}}, "occurredAt": "2026-11-23T10:00:00Z", "type": "points.changed", "points": {{points}}}""";

    public static string TierEvent(string memberId, long sequence, string tier, string? eventId = null) =>
        $$"""{"eventId": "{{eventId ?? "evt-" + Guid.NewGuid().ToString("N")}}", "memberId": "{{memberId}}", "sequence": {{sequence}}, "occurredAt": "2026-11-23T10:00:00Z", "type": "tier.changed", "tier": "{{tier}}"}""";

    /// <summary>Waits (bounded, no fixed sleeps) until a condition on the member holds; the pipeline is asynchronous.</summary>
    public static async Task<JsonElement> WaitForAsync(HttpClient backend, string memberId, Func<JsonElement, bool> condition)
    {
        JsonElement? member = null;
        await Eventually.HoldsAsync(
            async () => (member = await GetAsync(backend, memberId)) is { } found && condition(found),
            $"member {memberId} reaches the expected state",
            interval: TimeSpan.FromMilliseconds(50));
        return member!.Value;
    }
}
