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
/// One event handled by two instances at once. Azure Storage queues deliver at least once ("Storage queues and
/// Service Bus queues - compared and contrasted", Microsoft Learn: delivery guarantee At-Least-Once, peek-and-lease),
/// and the Functions queue trigger takes a message with a 10-minute visibility timeout that only the running host
/// renews (Azure/azure-sdk-for-net, Microsoft.Azure.WebJobs.Extensions.Storage queue listener: the visibility is
/// updated halfway to expiring while the function runs, and deleting a message "someone else took over" is an expected
/// case); a backend that retries a batch sends the same event again as a new message besides. So the copy of an event
/// that finds it already applied (<see cref="EventOutcome.Duplicate"/>) may run while the instance that applied it is
/// still pushing. These tests hold that first push at the APNs emulator and hand the event to the second instance
/// meanwhile: each device must hear of the version once; and when the first instance died instead, the version must
/// still reach the device, once. Likewise a newer event applied by the second instance while the first one's push is
/// in flight: that push still reaches the delivery trace.
/// </summary>
public sealed class RedeliveredEventTests : IAsyncLifetime
{
    private static readonly TimeSpan AnnouncerGrace = new DeliveryOptions().AnnouncerGrace;

    private readonly string _storagePrefix = "r" + Guid.NewGuid().ToString("N")[..10];
    private ApnsEmulator _apns = null!;
    private WalletPassesFactory _announcer = null!; // applies the event first
    private WalletPassesFactory _other = null!; // gets the same event again

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteServer.Shared;
        _apns = await ApnsEmulator.StartAsync(clientTrust: new ClientTrust(TestCertificates.Certificates.Root, TestCertificates.Certificates.Wwdr));
        _announcer = Instance(azurite);
        _other = Instance(azurite);
        foreach (var instance in new[] { _announcer, _other })
        {
            (await instance.CreateClient().GetAsync("/api/health")).EnsureSuccessStatusCode();
        }
    }

    public async Task DisposeAsync()
    {
        await _announcer.DisposeAsync();
        await _other.DisposeAsync();
        await _apns.DisposeAsync();
    }

    private WalletPassesFactory Instance(AzuriteServer azurite) => new(azurite.ConnectionString, new Dictionary<string, string?>
    {
        ["WalletPasses:Storage:NamePrefix"] = _storagePrefix, // both instances share one storage, as the host scales out
        ["WalletPasses:Apple:ApnsBaseUrl"] = _apns.BaseUrl.AbsoluteUri,
        ["WalletPasses:Apple:ApnsTrustedRootFile"] = _apns.CertificateAuthorityPemFile,
        ["WalletPasses:Apple:ApnsRequestTimeout"] = "00:01:00", // a held push is in flight, not timed out
    });

    private static LoyaltyEventProcessor Processor(WalletPassesFactory instance) => instance.Services.GetRequiredService<LoyaltyEventProcessor>();

    private static LoyaltyEvent PointsEvent(string memberId, long sequence = 1, long points = 1300) =>
        new($"evt-{Guid.NewGuid():N}", memberId, sequence, DateTimeOffset.UtcNow, LoyaltyEventTypes.PointsChanged, points, null, null, null, null, null);

    /// <summary>Pushes to the device APNs answered (a push held and abandoned by its sender is never answered).</summary>
    private int Accepted(SimulatedDevice device) => _apns.Pushes.Count(p => p.PushToken == device.PushToken && p.Status == 200);

    private Task<PassAnnouncementEntity?> AnnouncementAsync(string memberId) =>
        _other.Services.GetRequiredService<Announcements>().GetAsync(memberId, CancellationToken.None);

    private async Task<(InstalledPass Pass, SimulatedDevice[] Devices)> MemberWithDevicesAsync(int devices)
    {
        var pass = await InstalledPass.IssueAsync(_announcer);
        var registered = Enumerable.Range(0, devices).Select(_ => new SimulatedDevice(_announcer)).ToArray();
        foreach (var device in registered)
        {
            Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        }

        return (pass, registered);
    }

    /// <summary>The first instance applies the event and dies with its push to <paramref name="device"/> in flight: APNs never answers it, nothing of the delivery is saved.</summary>
    private async Task ApplyAndDieMidPushAsync(LoyaltyEvent loyaltyEvent, SimulatedDevice device)
    {
        var held = _apns.HoldNextPushTo(device.PushToken);
        using var death = new CancellationTokenSource();
        var applying = Processor(_announcer).ProcessAsync(loyaltyEvent, death.Token);
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(30));
        await death.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => applying);
    }

    /// <summary>
    /// The last delivery the queue allows (<see cref="LoyaltyEventMessages.MaxDequeueCount"/>, host.json's
    /// <c>maxDequeueCount</c>) applies the event and its instance dies mid push. No copy comes back: the Functions host
    /// moves a message that failed on its last delivery to the poison queue (azure-webjobs-sdk QueueProcessor
    /// CompleteProcessingMessageAsync: <c>DequeueCount &gt;= MaxDequeueCount</c> copies it there and deletes it), and so
    /// does the standalone poller. The version is committed all the same, so the retry job must push it.
    /// </summary>
    [Fact]
    public async Task A_version_applied_by_the_last_delivery_of_its_event_whose_instance_died_is_pushed_by_the_job()
    {
        var (pass, devices) = await MemberWithDevicesAsync(1);
        // The member's creation marked it due (a request nothing redelivers): the job finds it delivered and forgets it.
        _other.Time.Advance(new DeliveryOptions().RetryInterval);
        await _other.Services.GetRequiredService<StaleAnnouncementsJob>().RunOnceAsync(default);
        Assert.Empty(await _other.Services.GetRequiredService<Announcements>().DueAsync(10, default));
        var held = _apns.HoldNextPushTo(devices[0].PushToken);
        using var death = new CancellationTokenSource();
        var handling = _announcer.Services.GetRequiredService<LoyaltyEventMessages>()
            .HandleAsync(TestMembers.PointsEvent(pass.MemberId, 1, 1300), LoyaltyEventMessages.MaxDequeueCount, null, death.Token);
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(30)); // applied and announced; its push in flight
        await death.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handling);

        await Eventually.HoldsAsync(
            async () => (await AnnouncementAsync(pass.MemberId))!.IsCleared,
            "the other instance's retry job pushes the version nothing redelivers (before the fix: nothing had put the member on the retry index)",
            () => _other.Time.Advance(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, Accepted(devices[0]));
    }

    /// <summary>
    /// The re-push job's instance dies while it pushes a device once more (APNs never answers). Nothing may depend on the
    /// process staying alive between invocations: another instance's run must still push that device once more.
    /// </summary>
    [Fact]
    public async Task A_re_push_whose_instance_died_before_APNs_answered_is_made_by_another_instances_run()
    {
        var (pass, devices) = await MemberWithDevicesAsync(1);
        var repushAfter = new DeliveryOptions().RepushAfter;
        await using (var dying = Instance(await AzuriteServer.Shared))
        {
            Assert.Equal(EventOutcome.Applied, await Processor(dying).ProcessAsync(PointsEvent(pass.MemberId), default)); // pushed; the device never asks
            await dying.Services.GetRequiredService<DeliveryTrace>().FlushAsync(default);
            var held = _apns.HoldNextPushTo(devices[0].PushToken);
            dying.Time.Advance(repushAfter + TimeSpan.FromMinutes(2));
            var run = dying.Services.GetRequiredService<RepushJob>().RunOnceAsync(default); // or its standalone runner's run
            await Task.WhenAny(held.Arrived, run).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(held.Arrived.IsCompleted, "the re-push reached APNs");
        } // dies with the re-push in flight

        await Eventually.HoldsAsync(
            () => Accepted(devices[0]) == 2,
            "another instance pushes the device once more (before the fix: the dead run had deleted the member's check row first)",
            () => _other.Time.Advance(TimeSpan.FromMinutes(1)));
        Assert.Equal(2, Accepted(devices[0]));
    }

    [Fact]
    public async Task The_same_event_handled_by_a_second_instance_while_the_first_is_pushing_reaches_each_device_once()
    {
        var (pass, devices) = await MemberWithDevicesAsync(2);
        var points = PointsEvent(pass.MemberId);
        var held = _apns.HoldNextPushTo(devices[0].PushToken);

        var applying = Processor(_announcer).ProcessAsync(points, default);
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(30)); // applied and announced; its push to the first device in flight
        var again = await Processor(_other).ProcessAsync(points, default);
        held.Release();

        Assert.Equal((EventOutcome.Applied, EventOutcome.Duplicate), (await applying, again));
        Assert.Equal([1, 1], devices.Select(Accepted));
        Assert.True((await AnnouncementAsync(pass.MemberId))!.IsCleared);
    }

    [Fact]
    public async Task The_retry_job_leaves_a_version_its_announcer_is_pushing_to_that_instance_even_when_the_member_is_due_for_an_earlier_failure()
    {
        var (pass, devices) = await MemberWithDevicesAsync(2);
        var announcements = _other.Services.GetRequiredService<Announcements>();
        // An earlier version's failure (APNs 5xx, Google down) left the member on the retry index, due now.
        await announcements.MarkDueAsync(pass.MemberId, _other.Time.GetUtcNow().AddSeconds(-1), "earlier failure", default);
        var held = _apns.HoldNextPushTo(devices[0].PushToken);

        var applying = Processor(_announcer).ProcessAsync(PointsEvent(pass.MemberId), default);
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(30)); // applied and announced; its push to the first device in flight
        await _other.Services.GetRequiredService<StaleAnnouncementsJob>().RunOnceAsync(default); // the other instance's retry job runs meanwhile
        held.Release();

        Assert.Equal(EventOutcome.Applied, await applying);
        Assert.Equal([1, 1], devices.Select(Accepted)); // before the fix: [2, 2], the job pushed the version too
        Assert.True((await AnnouncementAsync(pass.MemberId))!.IsCleared);
    }

    [Fact]
    public async Task A_push_whose_version_another_instance_replaced_while_it_was_in_flight_still_shows_in_the_trace()
    {
        var (pass, devices) = await MemberWithDevicesAsync(1);
        var held = _apns.HoldNextPushTo(devices[0].PushToken);

        var applying = Processor(_announcer).ProcessAsync(PointsEvent(pass.MemberId), default);
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(30)); // version 2 announced, its push in flight
        Assert.Equal(EventOutcome.Applied, await Processor(_other).ProcessAsync(PointsEvent(pass.MemberId, 2, 1400), default)); // version 3 replaces it
        held.Release();
        await applying; // its announcement is gone: the save of its delivery record finds a newer version
        foreach (var instance in new[] { _announcer, _other })
        {
            await instance.Services.GetRequiredService<DeliveryTrace>().FlushAsync(default);
        }

        using var backend = _other.CreateBackendClient();
        var delivery = await backend.GetFromJsonAsync<JsonElement>($"/api/members/{pass.MemberId}/delivery");
        var traced = delivery.GetProperty("timeline").EnumerateArray().Where(row => row.GetProperty("kind").GetString() == DeliveryTraceKinds.Push)
            .Select(row => row.GetProperty("apnsId").GetString()).ToList();
        var accepted = _apns.Pushes.Where(p => p.PushToken == devices[0].PushToken && p.Status == 200).Select(p => p.ApnsId).ToList();
        Assert.Equal(2, accepted.Count);
        Assert.All(accepted, apnsId => Assert.Contains(apnsId, traced)); // every push APNs accepted is on the timeline
    }

    [Fact]
    public async Task The_same_event_handled_after_its_first_instance_died_mid_push_reaches_the_device_once()
    {
        var (pass, devices) = await MemberWithDevicesAsync(1);
        var points = PointsEvent(pass.MemberId);

        await ApplyAndDieMidPushAsync(points, devices[0]);
        _other.Time.Advance(AnnouncerGrace); // the event comes back later than the grace (the visibility timeout is longer)
        var again = await Processor(_other).ProcessAsync(points, default);

        Assert.Equal(EventOutcome.Duplicate, again);
        Assert.Equal(1, Accepted(devices[0]));
        Assert.True((await AnnouncementAsync(pass.MemberId))!.IsCleared);
    }

    [Fact]
    public async Task The_same_event_handled_soon_after_its_first_instance_died_is_pushed_once_by_the_job_after_the_grace()
    {
        var (pass, devices) = await MemberWithDevicesAsync(1);
        var points = PointsEvent(pass.MemberId);

        await ApplyAndDieMidPushAsync(points, devices[0]);
        var again = await Processor(_other).ProcessAsync(points, default); // within the grace: left to an announcer that is gone

        Assert.Equal(EventOutcome.Duplicate, again);
        await Eventually.HoldsAsync(
            async () => (await AnnouncementAsync(pass.MemberId))!.IsCleared,
            "the second instance's job finishes the announcement once the grace is over",
            () => _other.Time.Advance(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, Accepted(devices[0]));
    }
}
