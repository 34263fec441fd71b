using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
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
/// A chaos check of "no lost updates", not part of the suite (it runs for minutes and its kill moments are random):
/// one standalone host process against an on-disk Azurite, the APNs emulator (5% transient answers, "Handling
/// notification responses from APNs") and the Google Wallet fake (5% 500 INTERNAL). Event members get a stream of
/// points, tier and profile events (some sent twice), PUT members a stream of PUTs (some members created by the first), while the process is killed
/// (kill -9) at random moments, and every few kills exactly while a push is in flight (held by the emulator), then
/// restarted. Afterwards: each member shows the highest-sequence value per field (or its last PUT), every distinct
/// event left exactly one applied-event row, every registered device got an accepted push after the member's final
/// version was committed, Google shows that version's values, no loyalty-events message is left and none was poisoned,
/// and no request was answered 500. Run: <c>WALLETPASSES_CHAOS_KILLS=30 dotnet test … --filter FullyQualifiedName~ChaosCheck</c>.
/// </summary>
public sealed class ChaosCheck(ITestOutputHelper output) : IAsyncLifetime
{
    private const int EventMembers = 8;
    private const int PutMembers = 4;
    private const int SequencesPerMember = 200;
    private const int PutsPerMember = 50;
    private const int LateMembers = 4;
    private static readonly string[] Tiers = ["silver", "gold", "platinum"];

    private readonly string _storagePrefix = "x" + Guid.NewGuid().ToString("N")[..10];
    private readonly int _port = AppProcess.FreePort();
    private readonly List<string> _serverErrors = [];
    private AppProcess? _instance;
    private AzuriteServer _azurite = null!;
    private ApnsEmulator _apns = null!;
    private GoogleWalletFake _google = null!;
    private Dictionary<string, string?> _settings = null!;

    private static int Kills => ChaosFactAttribute.Kills;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync(TestCertificates.NewFolder());
        _apns = await ApnsEmulator.StartAsync(clientTrust: new ClientTrust(TestCertificates.Certificates.Root, TestCertificates.Certificates.Wwdr));
        _google = await GoogleWalletFake.StartAsync();
        var google = GoogleAppFixture.GoogleSettings(_google, _google.WriteServiceAccountKeyFile());
        google["WalletPasses:Google:SyncRetryInterval"] = "00:00:01";
        google["WalletPasses:Google:MaxSyncRetryDelay"] = "00:00:02";
        _settings = WalletPassesFactory.SettingsFor(_azurite.ConnectionString, new Dictionary<string, string?>(google)
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["WalletPasses:Apple:ApnsBaseUrl"] = _apns.BaseUrl.AbsoluteUri,
            ["WalletPasses:Apple:ApnsTrustedRootFile"] = _apns.CertificateAuthorityPemFile,
            ["WalletPasses:Apple:ApnsMaxAttempts"] = "1",
            ["WalletPasses:Events:VisibilityTimeout"] = "00:00:06", // a killed instance's messages come back after this
            ["WalletPasses:Delivery:RetryInterval"] = "00:00:01",
            ["WalletPasses:Delivery:MaxRetryDelay"] = "00:00:02",
            ["WalletPasses:Delivery:AnnouncerGrace"] = "00:00:03", // shorter than the visibility timeout, as in production
        }, _storagePrefix);
        _instance = await AppProcess.StartAsync(_settings, "Testing", _port);
    }

    public async Task DisposeAsync()
    {
        if (_instance is not null)
        {
            await _instance.DisposeAsync();
        }

        await _google.DisposeAsync();
        await _apns.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [ChaosFact]
    public async Task Random_kills_lose_no_event_and_no_push()
    {
        using var backend = Client();
        backend.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WalletPassesFactory.BackendKey);
        using var customer = Client();
        var members = new List<ChaosMember>();
        for (var i = 0; i < EventMembers + PutMembers; i++)
        {
            var pass = await InstalledPass.IssueAsync(backend, customer, 5, "silver");
            var devices = Enumerable.Range(0, i % 2 == 0 ? 2 : 1).Select(_ => new SimulatedDevice(customer)).ToList();
            foreach (var device in devices)
            {
                Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
            }

            members.Add(new ChaosMember(pass, devices, i >= EventMembers));
        }

        // Members created mid-stream by their first PUT (their Google object is inserted while kills go on); no device.
        members.AddRange(Enumerable.Range(0, LateMembers).Select(_ => new ChaosMember(new InstalledPass(TestMembers.NewId(), "", "", "", ""), [], ByPut: true)));

        var random = new Random(Environment.GetEnvironmentVariable("WALLETPASSES_CHAOS_SEED") is { } seed ? int.Parse(seed, CultureInfo.InvariantCulture) : 7);
        _apns.RespondToNext([.. Enumerable.Range(0, 50_000).Select(_ => random.NextDouble() < 0.05 ? ApnsReply.ServiceUnavailable : ApnsReply.Ok)]);
        _google.FailShare(0.05, GoogleWalletFault.InternalServerError, seed: 8);

        var requests = Requests(members, random);
        output.WriteLine($"{requests.Count} requests: {requests.Count(r => r.Events is not null)} event batches, {requests.Count(r => r.Events is null)} PUTs");
        var sender = SendAllAsync(backend, requests);
        var kills = await KillRepeatedlyAsync(members, random, sender);
        await sender;
        output.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.f} all sent; {kills.Random} random kills, {kills.MidPush} kills mid-push");

        var settle = Stopwatch.StartNew();
        await SettleAsync(members, TimeSpan.FromMinutes(3));
        output.WriteLine($"settled in {settle.Elapsed.TotalSeconds:F1} s");
        await AssertCheckedAsync(members, requests);
    }

    private sealed record ChaosMember(InstalledPass Pass, IReadOnlyList<SimulatedDevice> Devices, bool ByPut)
    {
        public long Points { get; set; } = 5;

        public string Tier { get; set; } = "silver";

        public string DisplayName { get; set; } = "";

        public List<string> EventIds { get; } = [];
    }

    /// <summary>An event batch (a JSON array) or a PUT of one member.</summary>
    private sealed record ChaosRequest(string? Events, string? MemberId, string? PutBody);

    private HttpClient Client() => new(new FrontDoor(() => [_instance?.BaseAddress ?? new Uri($"http://127.0.0.1:{_port}/")])) { BaseAddress = new Uri(WalletPassesFactory.PublicBaseUrl) };

    private static List<ChaosRequest> Requests(List<ChaosMember> members, Random random)
    {
        var events = new List<string>();
        var puts = new List<ChaosRequest>();
        foreach (var member in members)
        {
            if (member.ByPut)
            {
                for (var i = 0; i < PutsPerMember; i++)
                {
                    (member.Points, member.Tier, member.DisplayName) = (random.Next(1, 100_000) * 10, Tiers[random.Next(Tiers.Length)], $"Put {i}");
                    puts.Add(new ChaosRequest(null, member.Pass.MemberId, JsonSerializer.Serialize(new { displayName = member.DisplayName, points = member.Points, tier = member.Tier })));
                }

                continue;
            }

            for (var sequence = 1; sequence <= SequencesPerMember; sequence++)
            {
                var id = $"evt-{member.Pass.MemberId}-{sequence}";
                member.EventIds.Add(id);
                var kind = sequence == 1 ? 0 : random.Next(3);
                if (kind == 0)
                {
                    member.Points = random.Next(1, 100_000) * 10;
                    events.Add(TestMembers.PointsEvent(member.Pass.MemberId, sequence, member.Points, id));
                }
                else if (kind == 1)
                {
                    member.Tier = Tiers[random.Next(Tiers.Length)];
                    events.Add(TestMembers.TierEvent(member.Pass.MemberId, sequence, member.Tier, id));
                }
                else
                {
                    member.DisplayName = $"Name {sequence}";
                    events.Add(JsonSerializer.Serialize(new { eventId = id, memberId = member.Pass.MemberId, sequence, occurredAt = DateTimeOffset.UtcNow, type = "profile.changed", displayName = member.DisplayName }));
                }
            }
        }

        var batches = events.SelectMany(e => random.NextDouble() < 0.2 ? new[] { e, e } : [e]).OrderBy(_ => random.Next())
            .Chunk(5).Select(batch => new ChaosRequest("[" + string.Join(",", batch) + "]", null, null)).ToList();

        // PUTs of one member stay in order (the last one sent is the one that must hold); they are spread among the batches.
        var all = new List<ChaosRequest>(batches);
        foreach (var group in puts.GroupBy(p => p.MemberId))
        {
            var at = 0;
            foreach (var put in group)
            {
                at = random.Next(at, all.Count + 1);
                all.Insert(at, put);
                at++;
            }
        }

        return all;
    }

    /// <summary>Sends each request until it is answered 2xx (a kill cuts a request off: the backend sends it again); notes every 500.</summary>
    private async Task SendAllAsync(HttpClient backend, List<ChaosRequest> requests)
    {
        foreach (var request in requests)
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (true)
            {
                Assert.True(DateTime.UtcNow < deadline, "a request was never accepted");
                try
                {
                    using var response = request.Events is { } events
                        ? await backend.PostAsync("/api/loyalty-events", TestMembers.Json(events))
                        : await backend.PutAsync($"/api/members/{request.MemberId}", TestMembers.Json(request.PutBody!));
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }

                    if ((int)response.StatusCode == 500)
                    {
                        _serverErrors.Add($"{request.MemberId ?? "events"}: {await response.Content.ReadAsStringAsync()}"); // one sender: no lock
                    }
                }
                catch (HttpRequestException)
                {
                    // Killed mid-request, or restarting.
                }

                await Task.Delay(100);
            }

            await Task.Delay(30);
        }
    }

    /// <summary>Kills the process at random moments (every fourth time while a push is held at the emulator) and restarts it.</summary>
    private async Task<(int Random, int MidPush)> KillRepeatedlyAsync(List<ChaosMember> members, Random random, Task sender)
    {
        var (randomKills, midPush) = (0, 0);
        var devices = members.SelectMany(m => m.Devices).ToList();
        for (var kill = 0; kill < Kills && !sender.IsCompleted; kill++)
        {
            if (kill % 4 == 3)
            {
                var held = _apns.HoldNextPushTo(devices[random.Next(devices.Count)].PushToken);
                if (await Task.WhenAny(held.Arrived, Task.Delay(TimeSpan.FromSeconds(8))) == held.Arrived)
                {
                    await KillAsync();
                    held.Release();
                    midPush++;
                    await RestartAsync();
                    continue;
                }

                held.Release();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(100, 2500)));
            await KillAsync();
            randomKills++;
            await RestartAsync();
        }

        return (randomKills, midPush);
    }

    private async Task KillAsync()
    {
        var instance = _instance!;
        _instance = null;
        await instance.DisposeAsync(); // Process.Kill: SIGKILL
        output.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} killed");
    }

    private async Task RestartAsync() => _instance = await AppProcess.StartAsync(_settings, "Testing", _port);

    private TableClient Table(string name) => _azurite.Tables.GetTableClient(_storagePrefix + name);

    private QueueClient Queue(string name) => new(_azurite.ConnectionString, _storagePrefix + name);

    private Task<Dictionary<(string Member, string Row), TableEntity>> RowsAsync() => MemberStateRows.ReadAsync(Table(StorageNames.MembersTable));

    private static string? Unsettled(ChaosMember expected, Dictionary<(string Member, string Row), TableEntity> rows)
    {
        var id = expected.Pass.MemberId;
        if (rows.GetValueOrDefault((id, MemberEntity.RowKeyValue)) is not { } member)
        {
            return "no member row";
        }

        var shown = (member.GetInt64("Points"), member.GetString("Tier"), expected.DisplayName == "" ? "" : member.GetString("DisplayName"));
        if (shown != (expected.Points, expected.Tier, expected.DisplayName))
        {
            return $"shows {shown}, expected {(expected.Points, expected.Tier, expected.DisplayName)}";
        }

        var version = member.GetInt64("PassVersion");
        var announcement = rows.GetValueOrDefault((id, PassAnnouncementEntity.RowKeyValue));
        if (announcement is null || announcement.GetInt64("Version") != version || announcement.GetString("Pending") is not (null or ""))
        {
            return $"version {version}: announcement {announcement?.GetInt64("Version")} pending '{announcement?.GetString("Pending")}'";
        }

        return rows.GetValueOrDefault((id, GoogleObjectEntity.RowKeyValue))?.GetInt64("SyncedVersion") == version ? null : "Google behind";
    }

    private async Task SettleAsync(List<ChaosMember> members, TimeSpan cap)
    {
        var deadline = DateTime.UtcNow + cap;
        while (true)
        {
            var rows = await RowsAsync();
            var unsettled = members.Select(m => (m.Pass.MemberId, Why: Unsettled(m, rows))).Where(u => u.Why is not null).ToList();
            if (unsettled.Count == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "never settled: " + string.Join("; ", unsettled.Select(u => $"{u.MemberId} {u.Why}")));
            await Task.Delay(1000);
        }
    }

    private async Task AssertCheckedAsync(List<ChaosMember> members, List<ChaosRequest> requests)
    {
        var failures = new List<string>();
        var rows = await RowsAsync();
        var pushes = _apns.Pushes;
        foreach (var member in members)
        {
            var id = member.Pass.MemberId;
            var announcedAt = rows[(id, PassAnnouncementEntity.RowKeyValue)].GetDateTimeOffset("AnnouncedAt")!.Value;
            foreach (var device in member.Devices)
            {
                // Apple: the device hears of the final version only through a push sent after it was committed.
                if (!pushes.Any(p => p.PushToken == device.PushToken && p.Status == 200 && p.ReceivedAt >= announcedAt))
                {
                    var last = pushes.Where(p => p.PushToken == device.PushToken).OrderBy(p => p.ReceivedAt).LastOrDefault();
                    failures.Add($"{id}: device {device.Id[..14]} got no accepted push after the final version's commit at {announcedAt:HH:mm:ss.fff} (last push {last?.ReceivedAt:HH:mm:ss.fff} status {last?.Status})");
                }
            }

            var google = rows[(id, GoogleObjectEntity.RowKeyValue)];
            var stored = _google.StoredObjects[google.GetString("ObjectId")!];
            var googleShows = (stored["loyaltyPoints"]!["balance"]!["int"]!.GetValue<long>(), stored["secondaryLoyaltyPoints"]!["balance"]!["string"]!.GetValue<string>());
            if (googleShows != (member.Points, CultureInfo.InvariantCulture.TextInfo.ToTitleCase(member.Tier)))
            {
                failures.Add($"{id}: Google shows {googleShows}, the member {(member.Points, member.Tier)}");
            }

            var applied = new List<string>();
            await foreach (var row in Table(StorageNames.MembersTable).QueryAsync<TableEntity>($"PartitionKey eq '{id}' and RowKey ge 'event|' and RowKey lt 'event}}'"))
            {
                applied.Add(row.RowKey["event|".Length..]);
            }

            if (!member.EventIds.Order().SequenceEqual(applied.Order()))
            {
                failures.Add($"{id}: {member.EventIds.Except(applied).Count()} events never applied, {applied.Except(member.EventIds).Count()} unknown");
            }
        }

        var left = (await Queue(StorageNames.LoyaltyEventsQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount;
        var poisoned = (await Queue(StorageNames.LoyaltyEventsPoisonQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount;
        if (left != 0 || poisoned != 0)
        {
            failures.Add($"{left} messages left on loyalty-events, {poisoned} poisoned");
        }

        failures.AddRange(_serverErrors.Select(e => "500: " + e));
        output.WriteLine($"checked {members.Count} members, {members.Sum(m => m.Devices.Count)} devices, {requests.Count} requests; {pushes.Count} pushes sent to the emulator");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
