using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Events;
using WalletPasses.Members;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Delivery;

/// <summary>
/// The outbox over Azurite and the APNs emulator: a pass version is announced in its own transaction, and a push
/// APNs did not accept (5xx: "the server encountered an error" / 503 "the server is shutting down and unavailable",
/// Apple's "Handling notification responses from APNs") is finished later, by whatever comes first: the event
/// delivered again, the request retried, or the stale-announcement job once its back-off is over.
/// </summary>
public sealed class OutboxTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly TimeSpan RetryInterval = new DeliveryOptions().RetryInterval;

    private static ApnsEmulator Apns => SharedApns.Emulator;

    private LoyaltyEventProcessor Processor => app.Factory.Services.GetRequiredService<LoyaltyEventProcessor>();

    private static int Accepted(SimulatedDevice device) => Apns.Pushes.Count(p => p.PushToken == device.PushToken) - Refused[device.PushToken];

    // Pushes a test scripted to fail, per token: the emulator records every request, accepted or not.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Refused = new();

    private static LoyaltyEvent PointsEvent(string memberId, long sequence, long points, string? eventId = null) =>
        new(eventId ?? $"evt-{Guid.NewGuid():N}", memberId, sequence, DateTimeOffset.UtcNow, LoyaltyEventTypes.PointsChanged, points, null, null, null, null, null);

    private async Task<(InstalledPass Pass, SimulatedDevice Device)> RegisteredDeviceAsync(InstalledPass? pass = null)
    {
        pass ??= await InstalledPass.IssueAsync(app.Factory);
        var device = new SimulatedDevice(app.Factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        Refused[device.PushToken] = 0;
        return (pass, device);
    }

    /// <summary>APNs answers 503 to every push to the device until <see cref="Heal"/>.</summary>
    private static void Break(SimulatedDevice device) => Apns.RespondToToken(device.PushToken, ApnsReply.ServiceUnavailable);

    private static void Heal(SimulatedDevice device)
    {
        Refused[device.PushToken] = Apns.Pushes.Count(p => p.PushToken == device.PushToken);
        Apns.RespondToToken(device.PushToken, ApnsReply.Ok);
    }

    private Task<PassAnnouncementEntity?> AnnouncementAsync(string memberId) =>
        app.Factory.Services.GetRequiredService<Announcements>().GetAsync(memberId, CancellationToken.None);

    [Fact]
    public async Task A_push_APNs_refused_is_retried_by_the_job_until_accepted()
    {
        var (pass, device) = await RegisteredDeviceAsync();
        Break(device);

        Assert.Equal(EventOutcome.Applied, await Processor.ProcessAsync(PointsEvent(pass.MemberId, 1, 1300), default));
        var pending = await AnnouncementAsync(pass.MemberId);
        Heal(device);

        Assert.Equal("apple", pending!.Pending);
        await Eventually.HoldsAsync(() => Accepted(device) == 1, "the job pushes the device once APNs is back", () => app.Factory.Time.Advance(RetryInterval));
        await Eventually.HoldsAsync(async () => (await AnnouncementAsync(pass.MemberId))!.IsCleared, "the announcement is cleared");
        var pushes = DevicePushes.Parse((await AnnouncementAsync(pass.MemberId))!.Records()["apple"]);
        Assert.Equal(DevicePushStates.Pushed, pushes.Of(device.Id)!.State);
        Assert.Equal(2, pushes.Of(device.Id)!.Pushes);
    }

    [Fact]
    public async Task A_redelivered_event_finishes_the_push_its_first_delivery_left_pending()
    {
        var (pass, device) = await RegisteredDeviceAsync();
        var points = PointsEvent(pass.MemberId, 1, 1300);
        Break(device);
        await Processor.ProcessAsync(points, default);
        Heal(device);

        var again = await Processor.ProcessAsync(points, default);

        Assert.Equal(EventOutcome.Duplicate, again);
        Assert.Equal(1, Accepted(device));
        Assert.True((await AnnouncementAsync(pass.MemberId))!.IsCleared);
    }

    [Fact]
    public async Task A_retried_delete_pushes_the_voided_pass_the_first_one_could_not()
    {
        var (pass, device) = await RegisteredDeviceAsync();
        using var backend = app.Factory.CreateBackendClient();
        Break(device);
        Assert.Equal(HttpStatusCode.NoContent, (await backend.DeleteAsync($"/api/members/{pass.MemberId}")).StatusCode);
        Heal(device);

        var retried = await backend.DeleteAsync($"/api/members/{pass.MemberId}");

        Assert.Equal(HttpStatusCode.NoContent, retried.StatusCode);
        Assert.Equal(1, Accepted(device));
        var voided = await device.FetchPassAsync(pass);
        Assert.Equal(HttpStatusCode.OK, voided.StatusCode);
        Assert.True(new PkPass(await voided.Content.ReadAsByteArrayAsync()).PassJson.GetProperty("voided").GetBoolean());
    }

    [Fact]
    public async Task A_version_whose_process_died_before_pushing_is_pushed_by_the_job()
    {
        var (pass, device) = await RegisteredDeviceAsync();
        var members = app.Factory.Services.GetRequiredService<MemberStore>();

        // What a member PUT leaves behind when its process is killed right after the member transaction.
        await members.UpsertAsync(pass.MemberId, new MemberProfile("Jane Doe", 4000, "gold", null, null), default);
        var pushesRightAfter = Accepted(device);

        await Eventually.HoldsAsync(() => Accepted(device) == 1, "the job pushes the committed version", () => app.Factory.Time.Advance(RetryInterval));
        Assert.Equal(0, pushesRightAfter);
        await Eventually.HoldsAsync(async () => (await AnnouncementAsync(pass.MemberId))!.IsCleared, "the announcement is cleared");
    }

    [Fact]
    public async Task Retrying_one_device_never_pushes_the_others_twice_for_the_same_version()
    {
        var (pass, healthy) = await RegisteredDeviceAsync();
        var (_, failing) = await RegisteredDeviceAsync(pass);
        var points = PointsEvent(pass.MemberId, 1, 1300);
        Break(failing);
        await Processor.ProcessAsync(points, default);
        Heal(failing);

        await Processor.ProcessAsync(points, default);
        await Eventually.HoldsAsync(() => Accepted(failing) == 1, "the failing device is pushed", () => app.Factory.Time.Advance(RetryInterval));

        Assert.Equal(1, Accepted(healthy));
    }

    [Fact]
    public async Task A_device_APNs_reports_gone_clears_the_announcement_and_its_registration()
    {
        var (pass, device) = await RegisteredDeviceAsync();
        Apns.RespondToToken(device.PushToken, ApnsReply.UnregisteredSince(app.Factory.Time.GetUtcNow())); // on the app's clock: found gone after the registration

        await Processor.ProcessAsync(PointsEvent(pass.MemberId, 1, 1300), default);

        var announcement = await AnnouncementAsync(pass.MemberId);
        Assert.True(announcement!.IsCleared);
        Assert.Equal(DevicePushStates.Gone, DevicePushes.Parse(announcement.Records()["apple"]).Of(device.Id)!.State);
        Assert.Empty(await StoredRegistrations.ForMemberAsync(app.Factory, pass.MemberId));
    }
}
