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
/// The delivery trace over the real HTTP stack: devices speaking Apple's PassKit web service protocol (list call with
/// <c>passesUpdatedSince</c>, fetch with If-Modified-Since, POST /v1/log, per Apple's "Wallet Passes Web Service
/// Reference"), the APNs emulator, and <c>GET /api/members/{id}/delivery</c>.
/// </summary>
public sealed class DeliveryTraceTests(DeliveryTraceFixture app) : IClassFixture<DeliveryTraceFixture>
{
    private static ApnsEmulator Apns => SharedApns.Emulator;

    private LoyaltyEventProcessor Processor => app.Factory.Services.GetRequiredService<LoyaltyEventProcessor>();

    private static LoyaltyEvent PointsEvent(string memberId, long sequence, long points) =>
        new($"evt-{Guid.NewGuid():N}", memberId, sequence, DateTimeOffset.UtcNow, LoyaltyEventTypes.PointsChanged, points, null, null, null, null, null);

    private async Task<SimulatedDevice> RegisteredAsync(InstalledPass pass)
    {
        var device = new SimulatedDevice(app.Factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        return device;
    }

    private async Task<JsonElement> DeliveryAsync(string memberId)
    {
        await app.Factory.Services.GetRequiredService<DeliveryTrace>().FlushAsync(default);
        using var backend = app.Factory.CreateBackendClient();
        return await backend.GetFromJsonAsync<JsonElement>($"/api/members/{memberId}/delivery");
    }

    private async Task<JsonElement> DeliveryWhenAsync(string memberId, Func<JsonElement, bool> condition, string what)
    {
        JsonElement report = default;
        await Eventually.HoldsAsync(async () => condition(report = await DeliveryAsync(memberId)), what);
        return report;
    }

    private static string StateOf(JsonElement report, SimulatedDevice device) =>
        report.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("deviceLibraryIdentifier").GetString() == device.Id).GetProperty("state").GetString()!;

    [Fact]
    public async Task The_report_shows_each_devices_push_call_and_fetch_newest_first_and_which_devices_hold_the_version()
    {
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var fetching = await RegisteredAsync(pass);
        var idle = await RegisteredAsync(pass);
        app.Factory.Time.Advance(TimeSpan.FromSeconds(2));

        await Processor.ProcessAsync(PointsEvent(pass.MemberId, 1, 1300), default);
        var (changed, _) = await fetching.ListChangedAsync(pass);
        var fetched = await fetching.FetchPassAsync(pass);

        var report = await DeliveryWhenAsync(pass.MemberId, r => r.GetProperty("timeline").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "fetch"), "the fetch is traced");
        Assert.Equal([pass.SerialNumber], changed);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal("current", StateOf(report, fetching));
        Assert.Equal("pushed-not-fetched", StateOf(report, idle));
        var version = report.GetProperty("version").GetInt64();
        var timeline = report.GetProperty("timeline").EnumerateArray().ToList();
        var push = timeline.First(e => e.GetProperty("kind").GetString() == "push" && e.GetProperty("device").GetString() == fetching.Id);
        Assert.Equal(200, push.GetProperty("status").GetInt32());
        Assert.Equal(version, push.GetProperty("version").GetInt64());
        Assert.True(Guid.TryParse(push.GetProperty("apnsId").GetString(), out _)); // the apns-id APNs answered with
        Assert.Contains(timeline, e => e.GetProperty("kind").GetString() == "list" && e.GetProperty("device").GetString() == fetching.Id);
        var fetch = timeline.First(e => e.GetProperty("kind").GetString() == "fetch");
        Assert.Equal((200, version), (fetch.GetProperty("status").GetInt32(), fetch.GetProperty("version").GetInt64()));
        var times = timeline.Select(e => e.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
    }

    [Fact]
    public async Task Two_devices_that_each_ask_and_fetch_within_one_flush_both_show_as_current()
    {
        // Found by the crash test: the two fetches fold into one trace row (Apple's fetch does not name the device),
        // which kept the first fetch's time, before the second device's list call: that device never showed current.
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var first = await RegisteredAsync(pass);
        var second = await RegisteredAsync(pass);
        app.Factory.Time.Advance(TimeSpan.FromSeconds(2));
        await Processor.ProcessAsync(PointsEvent(pass.MemberId, 1, 1300), default);

        foreach (var device in new[] { first, second })
        {
            app.Factory.Time.Advance(TimeSpan.FromSeconds(1));
            await device.ListChangedAsync(pass);
            app.Factory.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(HttpStatusCode.OK, (await device.FetchPassAsync(pass)).StatusCode);
        }

        var report = await DeliveryWhenAsync(pass.MemberId, r => r.GetProperty("timeline").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "list") == 2, "both list calls are traced");
        Assert.Equal(("current", "current"), (StateOf(report, first), StateOf(report, second)));
    }

    [Fact]
    public async Task A_device_that_does_not_ask_after_its_push_is_pushed_once_more_and_only_once()
    {
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var asleep = await RegisteredAsync(pass);
        var awake = await RegisteredAsync(pass);
        app.Factory.Time.Advance(TimeSpan.FromSeconds(2));
        await Processor.ProcessAsync(PointsEvent(pass.MemberId, 1, 1300), default);
        await awake.ListChangedAsync(pass);
        await awake.FetchPassAsync(pass);
        await DeliveryWhenAsync(pass.MemberId, r => StateOf(r, awake) == "current", "the awake device is current");
        var pushesBefore = Apns.Pushes.Count(p => p.PushToken == asleep.PushToken);
        var job = app.Factory.Services.GetRequiredService<RepushJob>();

        // The standalone runner may run the job too when the clock moves: either run may do the re-push.
        app.Factory.Time.Advance(new DeliveryOptions().RepushAfter + TimeSpan.FromMinutes(2));
        await job.RunOnceAsync(default);
        await Eventually.HoldsAsync(async () => StateOf(await DeliveryAsync(pass.MemberId), asleep) == "pushed-not-fetched" && Apns.Pushes.Count(p => p.PushToken == asleep.PushToken) > pushesBefore, "the asleep device is pushed once more");
        await Eventually.HoldsAsync(async () => (await DeliveryAsync(pass.MemberId)).GetProperty("devices").EnumerateArray().Any(d => d.GetProperty("repushed").GetBoolean()), "the re-push is recorded");
        for (var later = 0; later < 3; later++)
        {
            app.Factory.Time.Advance(new DeliveryOptions().RepushAfter + TimeSpan.FromMinutes(2));
            await job.RunOnceAsync(default);
        }

        Assert.Equal(pushesBefore + 1, Apns.Pushes.Count(p => p.PushToken == asleep.PushToken));
        Assert.Equal(1, Apns.Pushes.Count(p => p.PushToken == awake.PushToken));
        var report = await DeliveryAsync(pass.MemberId);
        var device = report.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("deviceLibraryIdentifier").GetString() == asleep.Id);
        Assert.True(device.GetProperty("repushed").GetBoolean());
        Assert.Equal(2, device.GetProperty("pushes").GetInt32());
        var health = (await app.Factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/health")).GetProperty("delivery");
        Assert.InRange(health.GetProperty("devicesCurrentShare").GetDouble(), 0.0, 1.0);
        Assert.True(health.GetProperty("devicesChecked").GetInt32() >= 2);
    }

    [Fact]
    public async Task A_device_log_line_naming_the_pass_lands_on_its_members_timeline()
    {
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var device = await RegisteredAsync(pass);
        var line = $"[2026-11-23 10:00:00 +0000] Get pass task (pass type {pass.PassTypeIdentifier}, serial number {pass.SerialNumber}, if-modified-since (null); with web service url {pass.WebServiceUrl}) encountered error: Unexpected response code 500";

        var logged = await device.SendAsync(HttpMethod.Post, pass, "/v1/log", content: SimulatedDevice.JsonContent(JsonSerializer.Serialize(new { logs = new[] { line } })));

        Assert.Equal(HttpStatusCode.OK, logged.StatusCode);
        var report = await DeliveryWhenAsync(pass.MemberId, r => r.GetProperty("timeline").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "log"), "the log line is traced");
        Assert.Contains("Unexpected response code 500", report.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "log").GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_report_needs_the_backend_key_and_a_known_member()
    {
        var anonymous = await app.Factory.CreateClient().GetAsync("/api/members/m-1/delivery");
        using var backend = app.Factory.CreateBackendClient();
        var unknown = await backend.GetAsync($"/api/members/{TestMembers.NewId()}/delivery");
        var staff = await app.Factory.CreateStaffClient().GetAsync("/api/members/m-1/delivery");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, staff.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }
}
