using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Apple;
using WalletPasses.Members;
using WalletPasses.Publishing;
using WalletPasses.Storage;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Publishing;

namespace WalletPasses.Benchmarks;

/// <summary>
/// The bulk re-issue after a template publication: members with a registered simulated device each, in Azurite,
/// pushed through the APNs emulator. Members re-issued per second, next to the raw rate of the storage operations the
/// re-issue does per member (the member and announcement transaction, the registrations query, the announcement's
/// delivery record) done directly with the SDK in the same run. The re-issue is killed half-way (its app instance
/// disposed mid-run) and resumed by a new instance; afterwards every device must have exactly one push.
/// </summary>
public static class BulkReissueBenchmark
{
    private const int Concurrency = 32;

    public static async Task RunAsync(string[] args)
    {
        var memberCount = args.SkipWhile(a => a != "--members").Skip(1).Select(int.Parse).FirstOrDefault(10_000);
        await using var azurite = await AzuriteServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["WalletPasses:Publishing:MembersPerSecond"] = "1000000", // unlimited: measure the work, not the limit
            ["WalletPasses:Publishing:Concurrency"] = Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var first = BenchmarkApp.StartFactory(azurite, settings);
        settings["WalletPasses:Storage:NamePrefix"] = first.StoragePrefix;

        using var requests = new StorageRequestCounter(azurite.ConnectionString);
        var rawBefore = await RawStorageRateAsync(azurite, first.StoragePrefix + "rawmembers", Concurrency, "before", requests);
        var seeding = Stopwatch.StartNew();
        var tokens = await SeedAsync(first, memberCount);
        Console.WriteLine($"seeded {memberCount:N0} members with a registered device in {seeding.Elapsed.TotalSeconds:N0} s; table members has {await RowCountAsync(first):N0} rows");

        using var backend = first.CreateClient();
        backend.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WalletPassesFactory.BackendKey);
        var draft = await TemplateZips.ChangedAsync(backend, template => template["tiers"]![1]!["backgroundColor"] = "#112233");
        (await TemplateZips.UploadAsync(backend, draft)).EnsureSuccessStatusCode();
        var published = await backend.PostAsync(new Uri("/api/programs/default/template/publish", UriKind.Relative), null);
        published.EnsureSuccessStatusCode();
        var publicationId = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(published.Content)).GetProperty("publicationId").GetString()!;

        // First instance: runs until half the members are done, then is killed mid-run.
        var firstCost = PhaseCost.Start(requests, azurite);
        var reissue = Stopwatch.StartNew();
        using (var kill = new CancellationTokenSource())
        {
            var publications = first.Services.GetRequiredService<Publications>();
            var run = RunUntilFinishedAsync(first, publicationId, kill.Token);
            while (!run.IsCompleted && (await publications.GetAsync("default", publicationId, CancellationToken.None))!.MembersDone < memberCount / 2)
            {
                await Task.Delay(20);
            }

            await kill.CancelAsync();
            await first.DisposeAsync();
            try
            {
                await run;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The instance died under the run.
            }
        }

        var firstPart = reissue.Elapsed;
        var firstSpent = firstCost.Stop();
        // The new instance's clock is past the dead one's lease from its start. (Jumping a running instance's clock
        // instead would also run each of its periodic jobs at once, the device census walking every member among
        // them, in the resumed half only.)
        await using var second = BenchmarkApp.StartFactory(azurite, settings, new PublishingOptions().Lease + TimeSpan.FromSeconds(1));
        var secondPublications = second.Services.GetRequiredService<Publications>();
        var atRestart = (await secondPublications.GetAsync("default", publicationId, CancellationToken.None))!;
        var rowsAtRestart = await RowCountAsync(second);
        var secondCost = PhaseCost.Start(requests, azurite);
        var resumed = Stopwatch.StartNew();
        await RunUntilFinishedAsync(second, publicationId, CancellationToken.None);
        var total = firstPart + resumed.Elapsed;
        var secondSpent = secondCost.Stop();
        var done = (await secondPublications.GetAsync("default", publicationId, CancellationToken.None))!;
        var rowsAtEnd = await RowCountAsync(second);

        var pushes = SharedApns.Emulator.Pushes.Where(p => tokens.Contains(p.PushToken)).GroupBy(p => p.PushToken).ToDictionary(g => g.Key, g => g.Count());
        var exactlyOnce = tokens.Count(t => pushes.GetValueOrDefault(t) == 1);
        var twice = tokens.Count(t => pushes.GetValueOrDefault(t) > 1);
        var never = tokens.Count(t => pushes.GetValueOrDefault(t) == 0);

        var rate = memberCount / total.TotalSeconds;
        // The machine's load moves: the reference is measured before and after the re-issue, and averaged.
        var rawAfter = await RawStorageRateAsync(azurite, first.StoragePrefix + "rawmembers", Concurrency, "after", requests);
        // Not the target's reference: the same operations in table members itself, now holding every member's member,
        // announcement, registration and trace rows (Azurite's point operations and queries cost more as a table grows).
        var rawInMembers = await RawStorageRateAsync(azurite, first.StoragePrefix + StorageNames.MembersTable, Concurrency, "inmembers", requests);
        var raw = (rawBefore.RequestsPerSecond + rawAfter.RequestsPerSecond) / 2;
        Console.WriteLine($"== Bulk re-issue ({memberCount:N0} members with a registered device, Azurite, APNs emulator) ==");
        Console.WriteLine($"raw storage ops of one member:           {raw,10:N0} /s   (reference, {Concurrency} concurrent; {rawBefore.RequestsPerSecond:N0} before, {rawAfter.RequestsPerSecond:N0} after)");
        Console.WriteLine($"members re-issued (push sent):           {rate,10:N0} /s   ({rate / raw:N2}x the reference; target >= 0.6x)");
        Console.WriteLine($"killed at {atRestart.MembersDone:N0} members done ({firstPart.TotalSeconds:N1} s), resumed on a new instance ({resumed.Elapsed.TotalSeconds:N1} s): state {done.State}, {done.MembersDone:N0} visited, {done.DevicesPushed:N0} devices pushed");
        Console.WriteLine($"devices pushed exactly once: {exactlyOnce:N0} of {tokens.Count:N0}; more than once: {twice:N0}; never: {never:N0}");
        Console.WriteLine($"per member, first instance ({atRestart.MembersDone:N0} members, {atRestart.MembersDone / firstPart.TotalSeconds:N0}/s): {firstSpent.Per(atRestart.MembersDone)}");
        Console.WriteLine($"per member, resumed instance ({memberCount - atRestart.MembersDone:N0} members, {(memberCount - atRestart.MembersDone) / resumed.Elapsed.TotalSeconds:N0}/s): {secondSpent.Per(memberCount - atRestart.MembersDone)}");
        Console.WriteLine($"per reference op, before: {rawBefore}");
        Console.WriteLine($"per reference op, after:  {rawAfter}");
        Console.WriteLine($"per reference op, after, in table members ({rowsAtEnd:N0} rows): {rawInMembers}");
        Console.WriteLine($"table members rows: {rowsAtRestart:N0} at the restart, {rowsAtEnd:N0} at the end; load average {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    private static async Task RunUntilFinishedAsync(WalletPassesFactory factory, string publicationId, CancellationToken cancellationToken)
    {
        var job = factory.Services.GetRequiredService<BulkReissueJob>();
        var publications = factory.Services.GetRequiredService<Publications>();
        while ((await publications.GetAsync("default", publicationId, cancellationToken))!.IsRunning)
        {
            await job.RunOnceAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Members and their device registrations written straight to storage as the app stores them (the member row and
    /// its <c>reg|</c> row, one transaction per member): creating 10,000 through the API would take longer than the
    /// measurement on a loaded machine, and the re-issue reads nothing else.
    /// </summary>
    private static async Task<HashSet<string>> SeedAsync(WalletPassesFactory factory, int memberCount)
    {
        var table = factory.Services.GetRequiredService<StorageClients>().Members;
        var now = factory.Time.GetUtcNow();
        var tokens = new string[memberCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, memberCount), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, token) =>
        {
            var memberId = $"bench-{i:D6}";
            var serialNumber = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            tokens[i] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var member = new MemberEntity
            {
                PartitionKey = memberId,
                SerialNumber = serialNumber,
                BarcodeMessage = "bench-barcode-" + i,
                AuthenticationToken = PassIssuer.NewAuthenticationToken(),
                DisplayName = "Jane Doe",
                Points = 100 + i,
                Tier = "gold",
                OffersJson = MemberEntity.NoOffers,
                CreatedAt = now,
            };
            member.NewPassVersion(now, silent: false);
            var registration = new DeviceRegistrationEntity
            {
                PartitionKey = memberId,
                RowKey = TableRows.Members.Registration($"device.{i:D6}"),
                PushToken = tokens[i],
                SerialNumber = serialNumber,
                RegisteredAt = now,
            };
            // Upserts: the SDK retries a transaction that timed out, and the first attempt may have gone through.
            await table.SubmitTransactionAsync([new(TableTransactionActionType.UpsertReplace, member), new(TableTransactionActionType.UpsertReplace, registration)], token);
        });
        return tokens.ToHashSet();
    }

    /// <summary>The storage work of re-issuing one member, done directly with the SDK: no app, no push.</summary>
    private static async Task<ReferenceCost> RawStorageRateAsync(AzuriteServer azurite, string tableName, int concurrency, string run, StorageRequestCounter requests)
    {
        // A table of its own (same account, same row shapes) while the re-issue runs: it must not find these rows as members.
        var table = new TableClient(azurite.ConnectionString, tableName);
        await table.CreateIfNotExistsAsync();
        var count = 0;
        var before = requests.Snapshot();
        var cost = await LoadRunner.MeasureAsync(
            async () =>
            {
                var partition = $"raw-{run}-{Interlocked.Increment(ref count)}";
                var member = new TableEntity(partition, "member") { ["PassVersion"] = 2L, ["TemplateVersion"] = 1L };
                var announcement = new TableEntity(partition, "announcement") { ["Version"] = 2L, ["Pending"] = "apple" };
                var written = await table.SubmitTransactionAsync([new(TableTransactionActionType.UpsertReplace, member), new(TableTransactionActionType.UpsertReplace, announcement)]);
                await foreach (var _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition && e.RowKey.CompareTo("reg|") >= 0 && e.RowKey.CompareTo("reg}") < 0))
                {
                }

                announcement["Pending"] = "";
                await table.UpdateEntityAsync(announcement, written.Value[1].Headers.ETag ?? Azure.ETag.All, TableUpdateMode.Replace);
            },
            concurrency,
            TimeSpan.FromSeconds(6),
            () => azurite.ProcessorTime);
        return new ReferenceCost(cost, StorageRequestCounter.PerUnit(before, requests.Snapshot(), count));
    }

    private static async Task<long> RowCountAsync(WalletPassesFactory factory)
    {
        long rows = 0;
        await foreach (var _ in factory.Services.GetRequiredService<StorageClients>().Members.QueryAsync<TableEntity>(maxPerPage: 1000, select: ["PartitionKey"]))
        {
            rows++;
        }

        return rows;
    }

    private sealed record ReferenceCost(LoadCost Cost, string Requests)
    {
        public double RequestsPerSecond => Cost.RequestsPerSecond;

        public override string ToString() => $"{Cost}; {Requests}";
    }

    /// <summary>What a phase of the re-issue cost: storage requests by kind, CPU of this process (app) and of Azurite.</summary>
    private sealed record PhaseCost(StorageRequestCounter Counter, AzuriteServer Azurite, IReadOnlyDictionary<string, long> Requests, TimeSpan Cpu, TimeSpan AzuriteCpu)
    {
        public IReadOnlyDictionary<string, long>? EndRequests { get; private init; }

        public TimeSpan SpentCpu { get; private init; }

        public TimeSpan SpentAzuriteCpu { get; private init; }

        public static PhaseCost Start(StorageRequestCounter counter, AzuriteServer azurite) =>
            new(counter, azurite, counter.Snapshot(), Environment.CpuUsage.TotalTime, azurite.ProcessorTime);

        public PhaseCost Stop() => this with
        {
            EndRequests = Counter.Snapshot(),
            SpentCpu = Environment.CpuUsage.TotalTime - Cpu,
            SpentAzuriteCpu = Azurite.ProcessorTime - AzuriteCpu,
        };

        public string Per(long members) =>
            $"CPU {SpentCpu.TotalMicroseconds / members:N0} µs here + {SpentAzuriteCpu.TotalMicroseconds / members:N0} µs Azurite; {StorageRequestCounter.PerUnit(Requests, EndRequests!, members)}";
    }
}
