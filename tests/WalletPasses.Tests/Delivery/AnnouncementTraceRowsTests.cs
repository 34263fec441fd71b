using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Events;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Delivery;

/// <summary>An app whose trace buffer is written only when a delivery takes it along (no timed flush within a test).</summary>
public sealed class NoTimedTraceFlushFixture : AppFixture
{
    protected override IDictionary<string, string?>? SettingOverrides => new Dictionary<string, string?>
    {
        ["WalletPasses:Delivery:TraceFlushDelay"] = "01:00:00",
    };
}

/// <summary>
/// Buffered trace rows of a member ride along when its delivery saves the announcement (same partition, one entity
/// group transaction); the announcement's fate must never depend on them. A string property over 64 KiB is refused
/// by Table Storage ("PropertyValueTooLarge": Azure Table service, "Understanding the Table service data model",
/// property types: String up to 64 KiB), which fails the whole transaction it is in.
/// </summary>
public sealed class AnnouncementTraceRowsTests(NoTimedTraceFlushFixture app) : IClassFixture<NoTimedTraceFlushFixture>
{
    private static ApnsEmulator Apns => SharedApns.Emulator;

    [Fact]
    public async Task A_trace_row_storage_refuses_does_not_keep_the_announcement_from_being_cleared()
    {
        var (pass, device) = await PassWithDeviceAsync();
        app.Factory.Services.GetRequiredService<DeliveryTrace>().Record(pass.MemberId, DeliveryTraceKinds.Log, "oversized", detail: new string('x', 40_000));

        await ApplyPointsAsync(pass);

        var announcement = await app.Factory.Services.GetRequiredService<Announcements>().GetAsync(pass.MemberId, default);
        Assert.True(announcement!.IsCleared, $"still pending: {announcement.Pending}");
        Assert.Single(Apns.Pushes, p => p.PushToken == device.PushToken);
    }

    /// <summary>
    /// The notification policy's decision for a version is one line of the timeline, however many attempts its delivery
    /// takes. APNs answers 503 ServiceUnavailable when "the server is shutting down and unavailable" (Apple, "Handling
    /// notification responses from APNs"): the push is retried later.
    /// </summary>
    [Fact]
    public async Task A_version_delivered_on_the_second_attempt_shows_its_notification_decision_once()
    {
        var (pass, device) = await PassWithDeviceAsync();
        Apns.RespondToToken(device.PushToken, ApnsReply.ServiceUnavailable);

        await ApplyPointsAsync(pass);
        Assert.False((await app.Factory.Services.GetRequiredService<Announcements>().GetAsync(pass.MemberId, default))!.IsCleared);

        // The retry, a while later (as the stale-announcement job would make it), with APNs back.
        Apns.RespondToToken(device.PushToken, ApnsReply.Ok);
        app.Factory.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await app.Factory.Services.GetRequiredService<PassChanges>().FinishPendingAsync(pass.MemberId, default));

        await app.Factory.Services.GetRequiredService<DeliveryTrace>().FlushAsync(default);
        using var backend = app.Factory.CreateBackendClient();
        var timeline = (await backend.GetFromJsonAsync<JsonElement>($"/api/members/{pass.MemberId}/delivery")).GetProperty("timeline").EnumerateArray().ToList();
        var version = timeline.First(row => row.GetProperty("kind").GetString() == DeliveryTraceKinds.Push).GetProperty("version").GetInt64();
        var decisions = timeline.Where(row => row.GetProperty("kind").GetString() == DeliveryTraceKinds.Notification && row.GetProperty("version").GetInt64() == version);
        Assert.Equal("points: sent", Assert.Single(decisions).GetProperty("detail").GetString());
    }

    private async Task<(InstalledPass Pass, SimulatedDevice Device)> PassWithDeviceAsync()
    {
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var device = new SimulatedDevice(app.Factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        return (pass, device);
    }

    private async Task ApplyPointsAsync(InstalledPass pass)
    {
        var points = new LoyaltyEvent($"evt-{Guid.NewGuid():N}", pass.MemberId, 1, DateTimeOffset.UtcNow, LoyaltyEventTypes.PointsChanged, 1300, null, null, null, null, null);
        Assert.Equal(EventOutcome.Applied, await app.Factory.Services.GetRequiredService<LoyaltyEventProcessor>().ProcessAsync(points, default));
    }
}
