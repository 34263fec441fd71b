using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Members;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Delivery;

/// <summary>
/// No lost updates under failure, scaled down to run in the suite: two app instances on one storage (as the host
/// scales out), their own APNs emulator answering 10% of pushes with 503 or 429 (the transient answers Apple's
/// "Handling notification responses from APNs" lists), events with duplicates and in shuffled order to members
/// with registered simulated devices, and one instance stopped mid-stream (its host shut down, in-flight work
/// cancelled: an in-process stand-in for kill -9, whose queue messages come back after the visibility timeout)
/// and replaced by a new one. Afterwards every member shows the highest-sequence value, every announcement is
/// delivered, and every device fetches the final version after a push APNs accepted for it.
/// </summary>
public sealed class CrashTests : IAsyncLifetime
{
    private const int Members = 24;
    private const int EventsPerMember = 10;

    private readonly string _storagePrefix = "c" + Guid.NewGuid().ToString("N")[..10];
    private ApnsEmulator _apns = null!;
    private AzuriteServer _azurite = null!;
    private readonly List<WalletPassesFactory> _instances = [];

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.Shared;
        _apns = await ApnsEmulator.StartAsync(clientTrust: new ClientTrust(TestCertificates.Certificates.Root, TestCertificates.Certificates.Wwdr));
        var random = new Random(11);
        _apns.RespondToNext(Enumerable.Range(0, 5_000)
            .Select(_ => random.NextDouble() switch
            {
                < 0.05 => ApnsReply.ServiceUnavailable,
                < 0.10 => ApnsReply.TooManyRequests(),
                _ => ApnsReply.Ok,
            })
            .ToArray());
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await _apns.DisposeAsync();
    }

    private WalletPassesFactory StartInstance()
    {
        var instance = new WalletPassesFactory(_azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["WalletPasses:Storage:NamePrefix"] = _storagePrefix, // both instances share one storage
            ["WalletPasses:Apple:ApnsBaseUrl"] = _apns.BaseUrl.AbsoluteUri,
            ["WalletPasses:Apple:ApnsTrustedRootFile"] = _apns.CertificateAuthorityPemFile,
            ["WalletPasses:Apple:ApnsMaxAttempts"] = "1", // every transient answer reaches the outbox
            ["WalletPasses:Events:VisibilityTimeout"] = "00:00:01",
            ["WalletPasses:Events:MaxIdleDelay"] = "00:00:00.100",
        });
        _instances.Add(instance);
        instance.CreateClient().GetAsync("/api/health").GetAwaiter().GetResult().EnsureSuccessStatusCode();
        return instance;
    }

    [Fact]
    public async Task After_duplicates_reordering_push_failures_and_a_lost_instance_every_device_ends_on_the_final_version()
    {
        var first = StartInstance();
        var second = StartInstance();
        var devices = new List<(InstalledPass Pass, SimulatedDevice Device)>();
        for (var i = 0; i < Members; i++)
        {
            var pass = await InstalledPass.IssueAsync(first, points: 5); // no event sets 5: the final balance is a new version
            var device = new SimulatedDevice(first);
            Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
            devices.Add((pass, device));
        }

        // Points = sequence * 10, so the final balance is 10 x the highest sequence; 20% sent twice (same id), all shuffled.
        var random = new Random(7);
        var events = devices.SelectMany(d => Enumerable.Range(1, EventsPerMember).Select(sequence => TestMembers.PointsEvent(d.Pass.MemberId, sequence, sequence * 10, $"evt-{d.Pass.MemberId}-{sequence}")))
            .SelectMany(e => random.NextDouble() < 0.2 ? new[] { e, e } : [e])
            .OrderBy(_ => random.Next())
            .ToList();
        var half = events.Count / 2;
        using (var backend = first.CreateBackendClient())
        {
            foreach (var batch in events.Take(half).Chunk(20))
            {
                (await backend.PostAsync("/api/loyalty-events", TestMembers.Json("[" + string.Join(",", batch) + "]"))).EnsureSuccessStatusCode();
            }

            // The second instance goes down mid-stream, with whatever it was doing; a new instance takes its place.
            await second.DisposeAsync();
            _instances.Remove(second);
            var third = StartInstance();
            foreach (var batch in events.Skip(half).Chunk(20))
            {
                (await backend.PostAsync("/api/loyalty-events", TestMembers.Json("[" + string.Join(",", batch) + "]"))).EnsureSuccessStatusCode();
            }
        }

        await SettleAsync(devices);

        foreach (var (pass, device) in devices)
        {
            var member = await first.Services.GetRequiredService<MemberStore>().GetAsync(pass.MemberId, default);
            Assert.Equal(EventsPerMember * 10, member!.Profile.Points);
            var announcement = await first.Services.GetRequiredService<Announcements>().GetAsync(pass.MemberId, default);
            Assert.Equal((member.Pass.Version, ""), (announcement!.Version, announcement.Pending));
            var push = DevicePushes.Parse(announcement.Records()["apple"]).Of(device.Id);
            Assert.Equal((DevicePushStates.Pushed, 200), (push!.State, push.Status)); // APNs accepted a push of the final version (a record never pushes twice)

            // The device does what the push makes it do: asks what changed and fetches.
            var (changed, _) = await device.ListChangedAsync(pass);
            var fetched = await device.FetchPassAsync(pass);
            Assert.Equal([pass.SerialNumber], changed);
            Assert.Equal(EventsPerMember * 10, new PkPass(await fetched.Content.ReadAsByteArrayAsync()).Field("primaryFields", "points").GetProperty("value").GetInt64());
        }
    }

    /// <summary>Until every member has its final balance and nothing is pending, moving the instances' clocks so their jobs run.</summary>
    private async Task SettleAsync(List<(InstalledPass Pass, SimulatedDevice Device)> devices)
    {
        var store = _instances[0].Services;
        await Eventually.HoldsAsync(
            async () =>
            {
                var settled = true;
                foreach (var (pass, _) in devices)
                {
                    var member = await store.GetRequiredService<MemberStore>().GetAsync(pass.MemberId, default);
                    var announcement = await store.GetRequiredService<Announcements>().GetAsync(pass.MemberId, default);
                    settled &= member!.Profile.Points == EventsPerMember * 10 && announcement is { IsCleared: true } && announcement.Version == member.Pass.Version;
                }

                return settled;
            },
            "the instances deliver every final version",
            step: () =>
            {
                foreach (var instance in _instances)
                {
                    instance.Time.Advance(TimeSpan.FromSeconds(31));
                }
            },
            within: TimeSpan.FromMinutes(3),
            interval: TimeSpan.FromMilliseconds(200));
    }
}
