using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using WalletPasses.Delivery;
using WalletPasses.Events;
using WalletPasses.Hosting;
using WalletPasses.Telemetry;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Delivery;

/// <summary>
/// The device census over Azurite and the real HTTP stack: devices speaking Apple's PassKit web service protocol
/// (register, "which passes changed", fetch: Apple's "Wallet Passes Web Service Reference"), the APNs emulator
/// answering 200, 410 Unregistered or 500 per device token (Apple's "Handling notification responses from APNs"),
/// and two app instances sharing one storage running the census job at once, one chunk of members per run.
/// </summary>
public sealed class DeviceCensusJobTests : IAsyncLifetime
{
    private static readonly ApnsEmulator Apns = SharedApns.Emulator;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private readonly List<WalletPassesFactory> _instances = [];

    private WalletPassesFactory App => _instances[0];

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteServer.Shared;
        var first = Instance(azurite, null);
        _instances.Add(first);
        _instances.Add(Instance(azurite, first.StoragePrefix));
        foreach (var instance in _instances)
        {
            (await instance.CreateClient().GetAsync("/api/health")).EnsureSuccessStatusCode();
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }

    /// <summary>
    /// An app counting one member per census run (so a census takes several runs, as a large one does), its trace
    /// flushed when the test says, and no standalone job runner: the test runs the jobs itself, like a timer would.
    /// </summary>
    private static WalletPassesFactory Instance(AzuriteServer azurite, string? sharedPrefix)
    {
        var settings = new Dictionary<string, string?>
        {
            ["WalletPasses:Delivery:TraceFlushDelay"] = "00:10:00",
            ["WalletPasses:Delivery:CensusMembersPerChunk"] = "1",
            ["WalletPasses:Delivery:CensusRunBudget"] = "00:00:00",
        };
        if (sharedPrefix is not null)
        {
            settings["WalletPasses:Storage:NamePrefix"] = sharedPrefix;
        }

        return new WalletPassesFactory(azurite.ConnectionString, settings)
        {
            // the test drives the census itself, one member per run, on both instances
            ConfigureTestServices = services => services.Remove(services.Single(d => d.ImplementationType == typeof(AfterFirstAnswer<StandaloneJobRunner>))),
        };
    }

    private static LoyaltyEvent PointsEvent(string memberId, long sequence, long points) =>
        new($"evt-{Guid.NewGuid():N}", memberId, sequence, DateTimeOffset.UtcNow, LoyaltyEventTypes.PointsChanged, points, null, null, null, null, null);

    private async Task<SimulatedDevice> RegisteredAsync(InstalledPass pass, ApnsReply? apnsAnswers = null)
    {
        var device = new SimulatedDevice(App);
        if (apnsAnswers is not null)
        {
            Apns.RespondToToken(device.PushToken, apnsAnswers);
        }

        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        return device;
    }

    private async Task NewVersionAsync(InstalledPass pass, long sequence) =>
        await App.Services.GetRequiredService<LoyaltyEventProcessor>().ProcessAsync(PointsEvent(pass.MemberId, sequence, 1000 + sequence), default);

    private static async Task HoldsTheVersionAsync(SimulatedDevice device, InstalledPass pass)
    {
        Assert.Equal([pass.SerialNumber], (await device.ListChangedAsync(pass)).SerialNumbers);
        Assert.Equal(HttpStatusCode.OK, (await device.FetchPassAsync(pass)).StatusCode);
    }

    /// <summary>Both instances run the census job at once, run after run, until a census completes (each run counts one member).</summary>
    private async Task<int> CountUntilCompleteAsync(DateTimeOffset? after)
    {
        for (var runs = 1; runs <= 20; runs++)
        {
            await Task.WhenAll(_instances.Select(i => i.Services.GetRequiredService<DeviceCensusJob>().RunOnceAsync(default)));
            var delivery = await HealthAsync();
            if (HasCensus(delivery) && (after is null || delivery.GetProperty("census").GetProperty("completedAt").GetDateTimeOffset() > after))
            {
                return runs;
            }
        }

        throw new Xunit.Sdk.XunitException("No census completed in 20 runs.");
    }

    /// <summary>
    /// Moves every instance's clock together: each factory has its own fake clock, and an instance left behind would
    /// stamp a census it completes earlier than the one before (the census is finished by whichever instance gets there).
    /// </summary>
    private void AdvanceClocks(TimeSpan by)
    {
        foreach (var instance in _instances)
        {
            instance.Time.Advance(by);
        }
    }

    private async Task<JsonElement> HealthAsync()
    {
        AdvanceClocks(TimeSpan.FromSeconds(31)); // past health's 30-second cache
        return (await App.CreateClient().GetFromJsonAsync<JsonElement>("/api/health")).GetProperty("delivery");
    }

    private static DeviceCensusCounts Counts(JsonElement delivery) =>
        delivery.GetProperty("census").GetProperty("counts").Deserialize<DeviceCensusCounts>(Web)!;

    private static bool HasCensus(JsonElement delivery) =>
        delivery.TryGetProperty("census", out var census) && census.ValueKind == JsonValueKind.Object;

    [Fact]
    public async Task The_census_counts_every_registered_device_by_whether_it_holds_the_latest_version_and_health_and_metrics_report_the_share()
    {
        using var share = new MetricCollector<double>(App.Services.GetRequiredService<IMeterFactory>(), WalletPassesTelemetry.Name, "walletpasses.devices.current_share");

        // Member 1: one device fetches the new version, one is pushed but never asks, one is gone (APNs 410).
        var busy = await InstalledPass.IssueAsync(App);
        var fetching = await RegisteredAsync(busy);
        var asleep = await RegisteredAsync(busy);
        await RegisteredAsync(busy, ApnsReply.UnregisteredSince(App.Time.GetUtcNow().AddSeconds(1))); // on the app's clock: found gone after the registration
        AdvanceClocks(TimeSpan.FromSeconds(2));
        await NewVersionAsync(busy, 1);
        await HoldsTheVersionAsync(fetching, busy);

        // Member 2: two devices installed the pass after its last version (no push needed).
        var quiet = await InstalledPass.IssueAsync(App);
        AdvanceClocks(TimeSpan.FromSeconds(2));
        await RegisteredAsync(quiet);
        await RegisteredAsync(quiet);

        // Member 3: APNs fails every push to its device. Member 4: no device at all.
        var failing = await InstalledPass.IssueAsync(App);
        await RegisteredAsync(failing, ApnsReply.InternalServerError);
        AdvanceClocks(TimeSpan.FromSeconds(2));
        await NewVersionAsync(failing, 1);
        await InstalledPass.IssueAsync(App);
        await App.Services.GetRequiredService<DeliveryTrace>().FlushAsync(default);

        // One run counts one member: after it, nothing is reported yet (a census is reported only once complete).
        await App.Services.GetRequiredService<DeviceCensusJob>().RunOnceAsync(default);
        var before = await HealthAsync();
        Assert.False(HasCensus(before));
        Assert.False(before.TryGetProperty("devicesCurrentShare", out var noShare) && noShare.ValueKind == JsonValueKind.Number);

        await CountUntilCompleteAsync(after: null);

        var delivery = await HealthAsync();
        Assert.Equal(new DeviceCensusCounts(Members: 4, Registered: 5, Current: 3, PushedNotFetched: 1, PushFailed: 1, NotYetPushed: 0, Gone: 0, Unregistered: 1), Counts(delivery));
        Assert.Equal(0.6, delivery.GetProperty("devicesCurrentShare").GetDouble(), 6);
        var health = await App.CreateClient().GetFromJsonAsync<JsonElement>("/api/health");
        // Informational: the only reason to degrade is member 3's failing APNs pushes, not the 60%.
        Assert.All(health.GetProperty("reasons").EnumerateArray(), reason => Assert.StartsWith("Pushes to APNs failed", reason.GetString()));
        share.RecordObservableInstruments();
        Assert.Equal(0.6, share.LastMeasurement!.Value, 6);

        // The device that slept asks and fetches: the next census (due CensusInterval after the last started) sees it.
        await HoldsTheVersionAsync(asleep, busy);
        await App.Services.GetRequiredService<DeliveryTrace>().FlushAsync(default);
        var lastCompleted = delivery.GetProperty("census").GetProperty("completedAt").GetDateTimeOffset();
        AdvanceClocks(new DeliveryOptions().CensusInterval);
        await CountUntilCompleteAsync(after: lastCompleted);

        var next = await HealthAsync();
        Assert.Equal((5L, 4L, 0L), (Counts(next).Registered, Counts(next).Current, Counts(next).PushedNotFetched));
        Assert.Equal(0.8, next.GetProperty("devicesCurrentShare").GetDouble(), 6);
    }
}
