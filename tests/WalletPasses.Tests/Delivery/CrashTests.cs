using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using WalletPasses.Delivery;
using WalletPasses.Google;
using WalletPasses.Members;
using WalletPasses.Storage;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Google;
using WalletPasses.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WalletPasses.Tests.Delivery;

/// <summary>
/// No lost updates under failure (issue 11, section 5). Two instances of the standalone host, each its own OS process
/// (as the host scales out), share one Azurite behind a front door. Their APNs emulator answers 10% of pushes with
/// 500, 503 or 429 (the transient answers of Apple's "Handling notification responses from APNs") and their Google
/// Wallet fake answers 10% of API calls with 500 INTERNAL (the status Google's error guide says to retry). A few
/// hundred members, each with registered simulated devices, get a few thousand points and tier events, a fifth of
/// them sent twice and all shuffled. Mid-stream one instance is killed (kill -9) and restarted, storage restarts
/// (same data folder and ports), and the other instance is killed and restarted. Afterwards every member shows the
/// highest-sequence value of each field, every device's fetch gets that version after a push APNs accepted for it,
/// every Google object shows it, and no device was pushed twice for one version beyond the bounded re-push except
/// where a delivery's record died with its process or its storage (at-least-once, never at-most-once).
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Members = 250;
    private const int SequencesPerMember = 10;
    private const int InitialPoints = 5; // no event sets it (events set multiples of 10): the first event is a new version
    private const string InitialTier = "silver";
    private static readonly string[] Tiers = ["silver", "gold", "platinum"];
    private static readonly TimeSpan SettleCap = TimeSpan.FromMinutes(3);

    // The trace is written once a second, a transaction per member: 250 members' list and fetch rows queue behind
    // each other on a loaded machine, so the last member's rows can take longer than Eventually's usual 30 s.
    private static readonly TimeSpan TraceSettleCap = TimeSpan.FromMinutes(2);

    private readonly string _storagePrefix = "c" + Guid.NewGuid().ToString("N")[..10];
    private readonly AppProcess?[] _instances = new AppProcess?[2];
    private readonly int[] _ports = [AppProcess.FreePort(), AppProcess.FreePort()];
    private readonly List<(string What, DateTimeOffset From, DateTimeOffset To)> _disruptions = [];
    private AzuriteServer _azurite = null!;
    private TableRequestCounter _tables = null!;
    private ApnsEmulator _apns = null!;
    private GoogleWalletFake _google = null!;
    private Dictionary<string, string?> _settings = null!;

    public async Task InitializeAsync()
    {
        var ports = AzuriteServer.FreePorts();
        _azurite = await AzuriteServer.StartAsync(ports, TestCertificates.NewFolder());
        _tables = await TableRequestCounter.StartAsync(new Uri($"http://127.0.0.1:{ports[2]}/"));
        _apns = await ApnsEmulator.StartAsync(clientTrust: new ClientTrust(TestCertificates.Certificates.Root, TestCertificates.Certificates.Wwdr));
        _google = await GoogleWalletFake.StartAsync();
        var google = GoogleAppFixture.GoogleSettings(_google, _google.WriteServiceAccountKeyFile());
        google["WalletPasses:Google:SyncRetryInterval"] = "00:00:01";
        google["WalletPasses:Google:MaxSyncRetryDelay"] = "00:00:02";
        // The instances reach tables through the counter (which tells what the trace costs), blobs and queues directly.
        _settings = WalletPassesFactory.SettingsFor(AzuriteServer.ConnectionStringFor([ports[0], ports[1], _tables.Port]), new Dictionary<string, string?>(google)
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["WalletPasses:Apple:ApnsBaseUrl"] = _apns.BaseUrl.AbsoluteUri,
            ["WalletPasses:Apple:ApnsTrustedRootFile"] = _apns.CertificateAuthorityPemFile,
            ["WalletPasses:Apple:ApnsMaxAttempts"] = "1", // every transient answer reaches the outbox
            ["WalletPasses:Events:VisibilityTimeout"] = "00:00:10", // a killed instance's messages come back after this
            ["WalletPasses:Delivery:RetryInterval"] = "00:00:01",
            ["WalletPasses:Delivery:MaxRetryDelay"] = "00:00:02",
            ["WalletPasses:Delivery:MaxPerRun"] = "500",
            ["WalletPasses:Delivery:AnnouncerGrace"] = "00:00:05", // shorter than the visibility timeout, as in production
        }, _storagePrefix);
        await Task.WhenAll(Enumerable.Range(0, _instances.Length).Select(StartInstanceAsync));
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances.OfType<AppProcess>())
        {
            await instance.DisposeAsync();
        }

        await _google.DisposeAsync();
        await _apns.DisposeAsync();
        await _tables.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task After_duplicates_reordering_platform_failures_two_kills_and_a_storage_restart_every_device_and_Google_end_on_the_final_version()
    {
        using var backend = FrontDoorClient();
        backend.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WalletPassesFactory.BackendKey);
        using var customer = FrontDoorClient();
        var phase = Stopwatch.StartNew();
        var members = await IssueMembersAsync(backend, customer);
        output.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.f} members issued and devices registered in {phase.Elapsed.TotalSeconds:F1} s");

        // From now on a tenth of pushes and of Google calls fail (seeded: a run repeats).
        var random = new Random(11);
        _apns.RespondToNext(Enumerable.Range(0, 50_000).Select(_ => random.NextDouble() switch
        {
            < 0.04 => ApnsReply.ServiceUnavailable,
            < 0.07 => ApnsReply.InternalServerError,
            < 0.10 => ApnsReply.TooManyRequests(),
            _ => ApnsReply.Ok,
        }).ToArray());
        _google.FailShare(0.10, GoogleWalletFault.InternalServerError, seed: 12);

        var events = Events(members, random);
        output.WriteLine($"{members.Count} members, {members.Sum(m => m.Devices.Count)} devices, {events.Count} events sent ({events.Distinct().Count()} distinct)");
        phase.Restart();
        await SendWithDisruptionsAsync(backend, events);
        output.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.f} events sent in {phase.Elapsed.TotalSeconds:F1} s");

        var settle = Stopwatch.StartNew();
        await SettleAsync(members);
        output.WriteLine($"Settled {settle.Elapsed.TotalSeconds:F1} s after the last event was accepted");

        phase.Restart();
        await AssertFinalStateAsync(backend, members);
        output.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.f} final state checked in {phase.Elapsed.TotalSeconds:F1} s");
        await AssertNoDoublePushesAsync(members);
        await ReportTraceCostAsync(events.Distinct().Count());
    }

    /// <summary>A member as the test created it, with its installed pass, devices and the values the events must leave.</summary>
    private sealed record CrashMember(InstalledPass Pass, IReadOnlyList<SimulatedDevice> Devices)
    {
        public long Points { get; set; } = InitialPoints;

        public string Tier { get; set; } = InitialTier;
    }

    private HttpClient FrontDoorClient() => new(new FrontDoor(LiveInstances)) { BaseAddress = new Uri(WalletPassesFactory.PublicBaseUrl) };

    private List<Uri> LiveInstances()
    {
        lock (_instances)
        {
            var live = _instances.OfType<AppProcess>().Where(i => !i.HasExited).Select(i => i.BaseAddress).ToList();
            return live.Count > 0 ? live : [.. _ports.Select(p => new Uri($"http://127.0.0.1:{p}/"))]; // both restarting: try anyway
        }
    }

    private async Task StartInstanceAsync(int slot)
    {
        var instance = await AppProcess.StartAsync(_settings, "Testing", _ports[slot]);
        lock (_instances)
        {
            _instances[slot] = instance;
        }
    }

    /// <summary>kill -9 of the instance in <paramref name="slot"/>: whatever it was doing is cut off.</summary>
    private async Task KillInstanceAsync(int slot)
    {
        AppProcess instance;
        lock (_instances)
        {
            instance = _instances[slot]!;
            _instances[slot] = null;
        }

        await instance.DisposeAsync(); // Process.Kill: SIGKILL
    }

    private static async Task<List<CrashMember>> IssueMembersAsync(HttpClient backend, HttpClient customer)
    {
        var members = new CrashMember[Members];
        await Parallel.ForEachAsync(Enumerable.Range(0, Members), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var pass = await InstalledPass.IssueAsync(backend, customer, InitialPoints, InitialTier);
            var devices = Enumerable.Range(0, i % 4 == 0 ? 2 : 1).Select(_ => new SimulatedDevice(customer)).ToList(); // every fourth member has two
            foreach (var device in devices)
            {
                Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
            }

            members[i] = new CrashMember(pass, devices);
        });
        return [.. members];
    }

    /// <summary>
    /// Sequences 1..n per member, each a points or a tier event (sequence 1 always points: every member gets a new
    /// version); records on each member what the highest sequence of each field sets. A fifth are sent twice (same
    /// event id, as a backend retrying), and all are shuffled.
    /// </summary>
    private static List<string> Events(List<CrashMember> members, Random random)
    {
        var events = new List<string>();
        foreach (var member in members)
        {
            for (var sequence = 1; sequence <= SequencesPerMember; sequence++)
            {
                var id = $"evt-{member.Pass.MemberId}-{sequence}";
                if (sequence == 1 || random.Next(2) == 0)
                {
                    member.Points = random.Next(1, 100_000) * 10;
                    events.Add(TestMembers.PointsEvent(member.Pass.MemberId, sequence, member.Points, id));
                }
                else
                {
                    member.Tier = Tiers[random.Next(Tiers.Length)];
                    events.Add(TestMembers.TierEvent(member.Pass.MemberId, sequence, member.Tier, id));
                }
            }
        }

        return [.. events.SelectMany(e => random.NextDouble() < 0.2 ? new[] { e, e } : [e]).OrderBy(_ => random.Next())];
    }

    /// <summary>
    /// Sends the events in batches, four at a time, as a backend would (a batch answered 503 while storage is down is
    /// sent again). At a quarter instance 1 is killed (restarted a few batches later, while sending goes on), at half
    /// storage restarts while sending goes on, at three quarters instance 0 is killed and restarted the same way.
    /// </summary>
    private async Task SendWithDisruptionsAsync(HttpClient backend, List<string> events)
    {
        var batches = events.Chunk(25).ToArray();
        var quarter = batches.Length / 4;
        await SendAsync(backend, batches[..quarter]);
        await KillAsync(1);
        await SendAsync(backend, batches[quarter..(quarter + 8)]);
        var restart = RestartAsync(1);
        await SendAsync(backend, batches[(quarter + 8)..(2 * quarter)]);
        await restart;
        var storage = RestartStorageAsync();
        await SendAsync(backend, batches[(2 * quarter)..(3 * quarter)]);
        await storage;
        await KillAsync(0);
        await SendAsync(backend, batches[(3 * quarter)..(3 * quarter + 8)]);
        restart = RestartAsync(0);
        await SendAsync(backend, batches[(3 * quarter + 8)..]);
        await restart;
    }

    private static Task SendAsync(HttpClient backend, string[][] batches) =>
        Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (batch, _) => await PostAsync(backend, batch));

    private async Task KillAsync(int slot)
    {
        await KillInstanceAsync(slot);
        _disruptions.Add(($"kill -9 of instance {slot}", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow));
        output.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.f} killed instance {slot}");
    }

    private async Task RestartAsync(int slot)
    {
        await StartInstanceAsync(slot);
        output.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.f} instance {slot} is back");
    }

    private async Task RestartStorageAsync()
    {
        var stopping = DateTimeOffset.UtcNow;
        output.WriteLine($"{stopping:HH:mm:ss.f} stopping storage");
        await _azurite.RestartAsync(whileDown: () => Task.Delay(TimeSpan.FromSeconds(3)));
        _disruptions.Add(("storage restart", stopping, DateTimeOffset.UtcNow));
        output.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.f} storage is back");
    }

    private static async Task PostAsync(HttpClient backend, string[] batch)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            try
            {
                var response = await backend.PostAsync("/api/loyalty-events", TestMembers.Json("[" + string.Join(",", batch) + "]"));
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    return;
                }

                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"events answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Both instances unreachable for a moment: the backend tries again.
            }

            Assert.True(DateTime.UtcNow < deadline, "the events were never accepted");
            await Task.Delay(250);
        }
    }

    private TableClient Table(string name) => _azurite.Tables.GetTableClient(_storagePrefix + name);

    /// <summary>Polls storage (one query per look) until every member has its final values and nothing is pending, within <see cref="SettleCap"/>.</summary>
    private async Task SettleAsync(List<CrashMember> members)
    {
        var deadline = DateTime.UtcNow + SettleCap;
        var expected = members.ToDictionary(m => m.Pass.MemberId);
        while (true)
        {
            var rows = await MemberStateRows.ReadAsync(Table(StorageNames.MembersTable));

            var unsettled = expected.Count(e =>
                rows.GetValueOrDefault((e.Key, MemberEntity.RowKeyValue)) is { } member
                && member.GetInt64("Points") == e.Value.Points && member.GetString("Tier") == e.Value.Tier
                && member.GetInt64("PassVersion") is { } version
                && rows.GetValueOrDefault((e.Key, PassAnnouncementEntity.RowKeyValue)) is { } announcement
                && announcement.GetInt64("Version") == version && announcement.GetString("Pending") is null or ""
                && rows.GetValueOrDefault((e.Key, GoogleObjectEntity.RowKeyValue))?.GetInt64("SyncedVersion") == version
                ? false : true);
            if (unsettled == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{unsettled} members never settled on their final version within {SettleCap}");
            await Task.Delay(1000);
        }
    }

    private async Task AssertFinalStateAsync(HttpClient backend, List<CrashMember> members)
    {
        var pushes = _apns.Pushes.Where(p => p.Status == 200).ToDictionary(p => p.ApnsId!);
        await Parallel.ForEachAsync(members, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (member, token) =>
        {
            var memberId = member.Pass.MemberId;
            var document = (await TestMembers.GetAsync(backend, memberId))!.Value;
            Assert.Equal((member.Points, member.Tier), (document.GetProperty("points").GetInt64(), document.GetProperty("tier").GetString()));

            var delivery = await backend.GetFromJsonAsync<JsonElement>($"/api/members/{memberId}/delivery", token);
            var version = delivery.GetProperty("version").GetInt64();
            Assert.Empty(delivery.GetProperty("pending").EnumerateArray());
            var devices = delivery.GetProperty("devices").EnumerateArray().ToDictionary(d => d.GetProperty("deviceLibraryIdentifier").GetString()!);
            foreach (var device in member.Devices)
            {
                // APNs accepted a push of the final version for this device...
                var push = devices[device.Id];
                Assert.Equal(("pushed-not-fetched", 200), (push.GetProperty("state").GetString(), push.GetProperty("pushStatus").GetInt32()));
                var accepted = pushes[push.GetProperty("apnsId").GetString()!];
                Assert.Equal(device.PushToken, accepted.PushToken);

                // ...and the device does what a push makes it do: asks what changed, fetches, and gets the final version.
                var (changed, _) = await device.ListChangedAsync(member.Pass);
                Assert.Contains(member.Pass.SerialNumber, changed);
                var fetched = await device.FetchPassAsync(member.Pass);
                Assert.True(accepted.ReceivedAt < DateTimeOffset.UtcNow);
                var pass = new PkPass(await fetched.Content.ReadAsByteArrayAsync(token));
                Assert.Equal(member.Points, pass.Field("primaryFields", "points").GetProperty("value").GetInt64());
                Assert.Equal("tier." + member.Tier, pass.Field("headerFields", "tier").GetProperty("value").GetString());
            }

            // Google's object shows the same version.
            var google = (await Table(StorageNames.MembersTable).GetEntityAsync<GoogleObjectEntity>(memberId, GoogleObjectEntity.RowKeyValue, cancellationToken: token)).Value;
            Assert.Equal(version, google.SyncedVersion);
            var stored = _google.StoredObjects[google.ObjectId];
            Assert.Equal(member.Points, stored["loyaltyPoints"]!["balance"]!["int"]!.GetValue<long>());
            Assert.Equal(CultureInfo.InvariantCulture.TextInfo.ToTitleCase(member.Tier), stored["secondaryLoyaltyPoints"]!["balance"]!["string"]!.GetValue<string>());

            // The devices' list and fetch calls reach the trace: each device is now current.
            await Eventually.HoldsAsync(
                async () => (await backend.GetFromJsonAsync<JsonElement>($"/api/members/{memberId}/delivery", token)).GetProperty("devices").EnumerateArray().All(d => d.GetProperty("state").GetString() == "current"),
                $"member {memberId}'s devices show as current",
                within: TraceSettleCap);
        });
    }

    /// <summary>
    /// Every push APNs accepted, by the apns-id it answered, joined to the trace's push rows (device, version): one per
    /// device and version (the bounded re-push waits <see cref="DeliveryOptions.RepushAfter"/>, 10 minutes, longer than
    /// this test, so none is due here). A push with no trace row, or a second push of one version, is one whose
    /// delivery record was never saved (its process was killed, or storage was down), so it was rightly sent again;
    /// each must fall just before or within a disruption.
    /// </summary>
    private async Task AssertNoDoublePushesAsync(List<CrashMember> members)
    {
        var traced = new Dictionary<string, (string Member, string Device, long Version)>();
        await foreach (var row in Table(StorageNames.MembersTable).QueryAsync<DeliveryTraceEntity>(
            $"RowKey ge '{DeliveryTraceEntity.RowKeyPrefix}' and RowKey lt '{DeliveryTraceEntity.RowKeyEnd}' and Kind eq '{DeliveryTraceKinds.Push}'"))
        {
            if (row.ApnsId is { } apnsId)
            {
                traced[apnsId] = (row.PartitionKey, row.Device!, row.Version!.Value);
            }
        }

        var accepted = _apns.Pushes.Where(p => p.Status == 200).ToList();
        var attributed = accepted.Where(p => traced.ContainsKey(p.ApnsId!)).GroupBy(p => (traced[p.ApnsId!].Device, traced[p.ApnsId!].Version)).ToList();
        bool NearDisruption(RecordedPush push) => _disruptions.Any(d => push.ReceivedAt >= d.From.AddSeconds(-20) && push.ReceivedAt <= d.To.AddSeconds(20));

        // A second push of one version is only right when the first one's record died with its process or storage.
        var doubled = attributed.Where(g => g.Count() > 1 && !g.Skip(1).All(NearDisruption))
            .Select(g => $"{g.Key.Device} v{g.Key.Version}: pushes at {string.Join(", ", g.Select(p => p.ReceivedAt.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)))}").ToList();
        Assert.True(doubled.Count == 0, "pushed twice for one version away from any disruption: " + string.Join("; ", doubled.Take(10)));

        var unattributed = accepted.Where(p => !traced.ContainsKey(p.ApnsId!)).ToList();
        var outside = unattributed.Where(p => !NearDisruption(p)).ToList();
        output.WriteLine($"{accepted.Count} pushes accepted by APNs ({_apns.Pushes.Count} sent); {attributed.Count} device versions pushed; re-pushes (accepted beyond one per traced device version): {accepted.Count - attributed.Count}, all around a disruption: {outside.Count == 0}");
        Assert.True(outside.Count == 0, $"{outside.Count} pushes have no trace row and happened away from any disruption, first at {outside.FirstOrDefault()?.ReceivedAt:HH:mm:ss.fff}");
        Assert.Equal(members.Sum(m => m.Devices.Count), attributed.Select(g => g.Key.Device).Distinct().Count());
    }

    /// <summary>
    /// The trace's storage cost per applied event. Writes, as the instances made them (counted by
    /// <see cref="TableRequestCounter"/>): trace rows written (one entity operation each), requests that carried only
    /// trace rows (the trace's own flushes: each is one billed transaction, "Understanding Windows Azure Storage
    /// Billing", Azure Storage team blog), and requests where trace rows rode along with the announcement's save (no
    /// request of their own). Size: its rows in member partitions and in <c>deliverytrace</c>, by the same post's
    /// formula for an entity (4 bytes + 2 per character of PartitionKey and RowKey + per property 8 bytes + 2 per
    /// character of its name + the value: 4 + 2 per character for a string, 8 for a number or date).
    /// </summary>
    private async Task ReportTraceCostAsync(int events)
    {
        var traceTable = "/" + _storagePrefix + StorageNames.DeliveryTraceTable + "(";
        bool IsTraceWrite(string operation) => !operation.StartsWith("GET ", StringComparison.Ordinal)
            && (operation.Contains("RowKey='" + DeliveryTraceEntity.RowKeyPrefix, StringComparison.Ordinal) || operation.Contains(traceTable, StringComparison.Ordinal));
        var writes = _tables.Requests.Where(r => r.Status < 300 && r.Operations.Any(IsTraceWrite)).ToList();
        var operations = writes.Sum(r => r.Operations.Count(IsTraceWrite));
        var ownRequests = writes.Count(r => r.Operations.All(IsTraceWrite));

        var (rows, bytes) = (0, 0L);
        await foreach (var row in Table(StorageNames.MembersTable).QueryAsync<TableEntity>($"RowKey ge '{DeliveryTraceEntity.RowKeyPrefix}' and RowKey lt '{DeliveryTraceEntity.RowKeyEnd}'"))
        {
            (rows, bytes) = (rows + 1, bytes + BilledSize(row));
        }

        await foreach (var row in Table(StorageNames.DeliveryTraceTable).QueryAsync<TableEntity>())
        {
            (rows, bytes) = (rows + 1, bytes + BilledSize(row));
        }

        output.WriteLine($"Delivery trace for {events} distinct events ({_tables.Requests.Count} table requests in all): {operations} row writes ({(double)operations / events:F2} per event) in {ownRequests} requests of its own ({(double)ownRequests / events:F2} per event) and {writes.Count - ownRequests} shared with an announcement's save; {rows} rows kept, {bytes} bytes ({(double)bytes / events:F0} per event)");
        Assert.True(operations > 0 && rows > 0, "the instances' trace writes went through the counter");
    }

    private static long BilledSize(TableEntity row) =>
        4 + 2 * (row.PartitionKey.Length + row.RowKey.Length) + row.Keys.Where(k => k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")).Sum(key => 8 + 2 * key.Length + row[key] switch
        {
            string text => 4 + 2 * text.Length,
            bool => 1,
            int => 4,
            _ => 8,
        });
}
