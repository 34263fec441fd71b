using System.Net;
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
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var device = new SimulatedDevice(app.Factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        app.Factory.Services.GetRequiredService<DeliveryTrace>().Record(pass.MemberId, DeliveryTraceKinds.Log, "oversized", detail: new string('x', 40_000));

        var points = new LoyaltyEvent($"evt-{Guid.NewGuid():N}", pass.MemberId, 1, DateTimeOffset.UtcNow, LoyaltyEventTypes.PointsChanged, 1300, null, null, null, null, null);
        Assert.Equal(EventOutcome.Applied, await app.Factory.Services.GetRequiredService<LoyaltyEventProcessor>().ProcessAsync(points, default));

        var announcement = await app.Factory.Services.GetRequiredService<Announcements>().GetAsync(pass.MemberId, default);
        Assert.True(announcement!.IsCleared, $"still pending: {announcement.Pending}");
        Assert.Single(Apns.Pushes, p => p.PushToken == device.PushToken);
    }
}
