using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Events;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Delivery;

/// <summary>
/// The notification policy's decision for a pass version is one line of the member's delivery timeline, however many
/// attempts the version's delivery takes. APNs answers 503 ServiceUnavailable when "the server is shutting down and
/// unavailable" (Apple, "Handling notification responses from APNs"): the push is retried later.
/// </summary>
public sealed class NotificationTraceRowTests(NoTimedTraceFlushFixture app) : IClassFixture<NoTimedTraceFlushFixture>
{
    private static ApnsEmulator Apns => SharedApns.Emulator;

    [Fact]
    public async Task A_version_delivered_on_the_second_attempt_shows_its_notification_decision_once()
    {
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var device = new SimulatedDevice(app.Factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        Apns.RespondToToken(device.PushToken, ApnsReply.ServiceUnavailable);

        var points = new LoyaltyEvent($"evt-{Guid.NewGuid():N}", pass.MemberId, 1, DateTimeOffset.UtcNow, LoyaltyEventTypes.PointsChanged, 1300, null, null, null, null, null);
        Assert.Equal(EventOutcome.Applied, await app.Factory.Services.GetRequiredService<LoyaltyEventProcessor>().ProcessAsync(points, default));
        var announcements = app.Factory.Services.GetRequiredService<Announcements>();
        Assert.False((await announcements.GetAsync(pass.MemberId, default))!.IsCleared);

        // The retry, a while later (as the stale-announcement job would make it), with APNs back.
        Apns.RespondToToken(device.PushToken, ApnsReply.Ok);
        app.Factory.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await app.Factory.Services.GetRequiredService<PassChanges>().FinishPendingAsync(pass.MemberId, default));

        await app.Factory.Services.GetRequiredService<DeliveryTrace>().FlushAsync(default);
        using var backend = app.Factory.CreateBackendClient();
        var report = await backend.GetFromJsonAsync<JsonElement>($"/api/members/{pass.MemberId}/delivery");
        var timeline = report.GetProperty("timeline").EnumerateArray().ToList();
        var version = timeline.First(row => row.GetProperty("kind").GetString() == DeliveryTraceKinds.Push).GetProperty("version").GetInt64();
        var decisions = timeline.Where(row => row.GetProperty("kind").GetString() == DeliveryTraceKinds.Notification && row.GetProperty("version").GetInt64() == version).ToList();
        Assert.Equal("points: sent", Assert.Single(decisions).GetProperty("detail").GetString());
    }
}
