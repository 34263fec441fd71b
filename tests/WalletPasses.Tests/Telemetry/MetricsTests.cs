using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using WalletPasses.Telemetry;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Telemetry;

/// <summary>
/// The product's meter as an operator's dashboard reads it: each test watches the app's own instruments (its
/// <see cref="IMeterFactory"/>, so no other test's app counts) while it does what a backend, a device or staff do.
/// </summary>
[Collection(TelemetryTests.Name)]
public sealed class MetricsTests(TelemetryFixture app)
{
    private WalletPassesFactory Factory => app.Factory;

    [Fact]
    public async Task Events_are_counted_as_accepted_applied_duplicate_and_poisoned_with_their_lag()
    {
        using var accepted = Collect<long>("walletpasses.events.accepted");
        using var processed = Collect<long>("walletpasses.events.processed");
        using var lag = Collect<double>("walletpasses.events.processing.lag");
        using var backend = Factory.CreateBackendClient();
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(backend, memberId, points: 1000);
        var loyaltyEvent = TestMembers.PointsEvent(memberId, 1, 1300, eventId: "evt-" + memberId);

        Assert.Equal(HttpStatusCode.Accepted, (await backend.PostAsync("/api/loyalty-events", TestMembers.Json(loyaltyEvent))).StatusCode);
        await Eventually.HoldsAsync(() => Sum(processed, "walletpasses.event.outcome", "applied") == 1, "one event applied");
        var queue = new QueueClient(Factory.Settings["AzureWebJobsStorage"], Factory.StoragePrefix + "loyalty-events", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.SendMessageAsync(loyaltyEvent); // delivered again
        await queue.SendMessageAsync(TestMembers.PointsEvent(TestMembers.NewId(), 1, 5)); // no such member
        await queue.SendMessageAsync("this is not an event");

        await Eventually.HoldsAsync(() => Sum(processed, "walletpasses.event.outcome", "duplicate") == 1 && Sum(processed, "walletpasses.event.outcome", "poisoned") == 2, "the duplicate and the two poisoned messages counted");
        Assert.Equal(1, accepted.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, Sum(processed, "walletpasses.event.outcome", "applied"));
        Assert.True(lag.GetMeasurementSnapshot().Count >= 4, "a lag for every message taken from the queue");
        Assert.All(lag.GetMeasurementSnapshot(), m => Assert.True(m.Value >= 0));
    }

    [Fact]
    public async Task Pushes_are_counted_by_outcome_and_notifications_by_alert_or_silent()
    {
        using var pushes = Collect<long>("walletpasses.apns.pushes");
        using var notifications = Collect<long>("walletpasses.notifications");
        using var backlog = Collect<long>("walletpasses.announcements.backlog");
        using var age = Collect<double>("walletpasses.announcements.oldest_age");
        var pass = await InstalledPass.IssueAsync(Factory);
        var reachable = new SimulatedDevice(Factory);
        var failing = new SimulatedDevice(Factory);
        SharedApns.Emulator.RespondToToken(failing.PushToken, ApnsReply.InternalServerError); // every attempt: the push fails
        Assert.Equal(HttpStatusCode.Created, (await reachable.RegisterAsync(pass)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await failing.RegisterAsync(pass)).StatusCode);
        using var backend = Factory.CreateBackendClient();

        // Four changes in a day: three alert (NotificationOptions.MaxPerDay), the fourth is silent.
        for (var sequence = 1; sequence <= 4; sequence++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await backend.PostAsync("/api/loyalty-events", TestMembers.Json(TestMembers.PointsEvent(pass.MemberId, sequence, 1000 + sequence)))).StatusCode);
            var expected = 1000 + sequence;
            await TestMembers.WaitForAsync(backend, pass.MemberId, m => m.GetProperty("points").GetInt64() == expected);
        }

        await Eventually.HoldsAsync(() => Sum(notifications, "walletpasses.notification.mode", "silent") == 1, "the fourth change counted as silent");
        Assert.Equal(3, Sum(notifications, "walletpasses.notification.mode", "alert"));
        await Eventually.HoldsAsync(() => Sum(pushes, "walletpasses.push.outcome", "delivered") >= 4 && Sum(pushes, "walletpasses.push.outcome", "failed") >= 4, "each version's pushes counted");

        // The failed device keeps the announcement pending: the stale-announcements job sees it due, and how late.
        // The clock moves in 7 s steps: the job's interval (30 s) and the retry delays (30 s doubling) are not multiples
        // of 7, so a run comes after the row's due time, as on a real clock. With 10 s steps every run landed exactly on
        // the due time (an age of 0) unless a step happened between the job's query and its measurement.
        await Eventually.HoldsAsync(
            () => backlog.GetMeasurementSnapshot().Any(m => m.Value >= 1) && age.GetMeasurementSnapshot().Any(m => m.Value > 0),
            "the backlog and its age measured",
            step: () => Factory.Time.Advance(TimeSpan.FromSeconds(7)));
        Assert.All(age.GetMeasurementSnapshot(), m => Assert.True(m.Value >= 0, "an age is never negative"));
        SharedApns.Emulator.RespondToToken(failing.PushToken, ApnsReply.Ok);
    }

    [Fact]
    public async Task A_pass_version_is_signed_once_and_then_served_from_the_cache()
    {
        using var signed = Collect<long>("walletpasses.passes.signed");
        using var lookups = Collect<long>("walletpasses.pass_cache.lookups");
        using var backend = Factory.CreateBackendClient();
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(backend, memberId);
        var link = await TestMembers.PassUrlAsync(backend, memberId);
        using var customer = Factory.CreateClient();

        (await customer.GetAsync(link)).EnsureSuccessStatusCode();
        (await customer.GetAsync(link)).EnsureSuccessStatusCode();

        Assert.Equal(1, signed.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, Sum(lookups, "walletpasses.cache.result", "miss"));
        Assert.Equal(1, Sum(lookups, "walletpasses.cache.result", "hit"));
    }

    [Fact]
    public async Task Staff_scans_are_counted_by_their_result()
    {
        using var validations = Collect<long>("walletpasses.validations");
        using var backend = Factory.CreateBackendClient();
        using var staff = Factory.CreateStaffClient();
        var (_, barcode) = await StaffTesting.EnrolAsync(Factory, backend);

        var valid = await StaffTesting.ValidateOkAsync(staff, barcode);
        var refused = await (await StaffTesting.ValidateAsync(staff, barcode[..^4] + "AAAA")).Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(valid.GetProperty("valid").GetBoolean());
        var reason = refused.GetProperty("reason").GetString()!;
        Assert.Equal(1, Sum(validations, "walletpasses.validation.result", "valid"));
        Assert.Equal(1, Sum(validations, "walletpasses.validation.result", reason));
    }

    private static long Sum(MetricCollector<long> collector, string tag, string value) =>
        collector.GetMeasurementSnapshot().Where(m => m.Tags.TryGetValue(tag, out var v) && v?.ToString() == value).Sum(m => m.Value);

    private MetricCollector<T> Collect<T>(string instrument)
        where T : struct =>
        new(Factory.Services.GetRequiredService<IMeterFactory>(), WalletPassesTelemetry.Name, instrument);
}
