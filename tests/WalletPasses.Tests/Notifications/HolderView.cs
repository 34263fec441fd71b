using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Events;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Notifications;

/// <summary>
/// What a pass holder sees of the alerts of a <see cref="NotificationAppFixture"/>: the Apple pass, the messages added to
/// the Google object (as the fake received them) and the Google lines of the member's delivery trace. Shared by the
/// tests of alerts Google holds back for its notification quota.
/// </summary>
internal sealed class HolderView(NotificationAppFixture app)
{
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public HttpClient Backend { get; } = app.Factory.CreateBackendClient();

    /// <summary>A new member in Berlin, silver with 100 points: their id, Apple pass URL and Google object id.</summary>
    public async Task<(string MemberId, string PassUrl, string ObjectId)> EnrolAsync()
    {
        var memberId = TestMembers.NewId();
        var created = await Backend.PutAsync($"/api/members/{memberId}", TestMembers.Json(
            """{"displayName": "Jane Doe", "points": 100, "tier": "silver", "timeZone": "Europe/Berlin"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var document = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (memberId, document.GetProperty("apple").GetProperty("passUrl").GetString()!, document.GetProperty("google").GetProperty("objectId").GetString()!);
    }

    public IReadOnlyList<JsonObject> AddedMessages(string objectId) =>
        [.. app.Fake.ApiRequests.Where(r => r.Method == "POST" && r.Path.EndsWith(objectId + "/addMessage", StringComparison.Ordinal)).Select(r => JsonNode.Parse(r.Body)!["message"]!.AsObject())];

    public async Task<PkPass> PassAsync(string passUrl) =>
        new(await app.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(WalletPassesFactory.PublicBaseUrl) }).GetByteArrayAsync(passUrl));

    public static LoyaltyEvent Event(string memberId, long sequence, string type, long? points = null, string? tier = null) =>
        new($"evt-{Guid.NewGuid():N}", memberId, sequence, DateTimeOffset.UtcNow, type, points, tier, null, null, null, null);

    public async Task<IReadOnlyList<string>> GoogleTraceAsync(string memberId)
    {
        await app.Factory.Services.GetRequiredService<DeliveryTrace>().FlushAsync(default);
        var report = await Backend.GetFromJsonAsync<JsonElement>($"/api/members/{memberId}/delivery");
        return [.. report.GetProperty("timeline").EnumerateArray()
            .Where(row => row.GetProperty("kind").GetString() == DeliveryTraceKinds.Google)
            .Select(row => row.GetProperty("detail").GetString()!)];
    }
}
