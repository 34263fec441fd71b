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
/// pushed through the APNs emulator. Members re-issued per second, next to <see cref="DirectReissue"/>: the same
/// storage operations per member done directly with the SDK, in the same run, over a table seeded with the same rows
/// (so of the same size and key layout at each moment, which Azurite's costs depend on). In order: the reference's
/// first half; the app's first instance until half the members are done (then it is killed, its app instance disposed
/// mid-run); a new app instance resuming the re-issue; the reference's second half. Afterwards every device must have
/// exactly one push. The previous reference, one member's operations in a small table of their
/// own, is printed as well.
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
        var options = first.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PublishingOptions>>().Value;

        using var requests = new StorageRequestCounter(azurite.ConnectionString);
        var rawBefore = await RawStorageRateAsync(azurite, first.StoragePrefix + "rawmembers", Concurrency, "before", requests);
        var seeding = Stopwatch.StartNew();
        var referenceTable = new TableClient(azurite.ConnectionString, first.StoragePrefix + "refmembers");
        await referenceTable.CreateIfNotExistsAsync();
        var productTable = first.Services.GetRequiredService<StorageClients>().Members;
        var tokens = await SeedAsync(first, [productTable, referenceTable], memberCount);
        Console.WriteLine($"seeded {memberCount:N0} members with a registered device in {seeding.Elapsed.TotalSeconds:N0} s, in table members ({await RowCountAsync(productTable):N0} rows) and in the reference's table ({await RowCountAsync(referenceTable):N0} rows)");

        using var backend = first.CreateClient();
        backend.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WalletPassesFactory.BackendKey);
        var draft = await TemplateZips.ChangedAsync(backend, template => template["tiers"]![1]!["backgroundColor"] = "#112233");
        (await TemplateZips.UploadAsync(backend, draft)).EnsureSuccessStatusCode();
        var published = await backend.PostAsync(new Uri("/api/programs/default/template/publish", UriKind.Relative), null);
        published.EnsureSuccessStatusCode();
        var publicationId = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(published.Content)).GetProperty("publicationId").GetString()!;

        // The reference's halves run before and after the app's run, each on a table of the same rows as the app's half
        // of that rank (the machine's load moves: the two halves bracket the app's run, as the old reference's before
        // and after did).
        var reference = new DirectReissue(referenceTable, options.ChunkSize, Concurrency, templateVersion: 2);
        var referenceFirst = await PhaseCost.MeasureAsync(requests, azurite, () => reference.RunAsync(memberCount / 2));

        // First instance: runs until half the members are done, then is killed mid-run.
        var firstCost = PhaseCost.Start(requests, azurite);
        using (var kill = new CancellationTokenSource())
        {
            var publications = first.Services.GetRequiredService<Publications>();
            var run = RunUntilFinishedAsync(first, publicationId, kill.Token);
            while (!run.IsCompleted && (await publications.GetAsync("default", publicationId, CancellationToken.None))!.MembersDone < memberCount / 2)
            {
                await Task.Delay(100);
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

        var firstSpent = firstCost.Stop();

        // The new instance's clock is past the dead one's lease from its start. (Jumping a running instance's clock
        // instead would also run each of its periodic jobs at once, the device census walking every member among
        // them, in the resumed half only.)
        await using var second = BenchmarkApp.StartFactory(azurite, settings, new PublishingOptions().Lease + TimeSpan.FromSeconds(1));
        var secondPublications = second.Services.GetRequiredService<Publications>();
        var atRestart = (await secondPublications.GetAsync("default", publicationId, CancellationToken.None))!;
        var rowsAtRestart = await RowCountAsync(productTable);
        var secondCost = PhaseCost.Start(requests, azurite);
        var resuming = RunUntilFinishedAsync(second, publicationId, CancellationToken.None);
        // The hand-over: from the new instance's start to its first checkpoint (the lease taken, the killed chunk redone).
        var handOver = Stopwatch.StartNew();
        while (!resuming.IsCompleted && (await secondPublications.GetAsync("default", publicationId, CancellationToken.None))!.MembersDone == atRestart.MembersDone)
        {
            await Task.Delay(50);
        }

        var firstCheckpoint = handOver.Elapsed;
        await resuming;
        var secondSpent = secondCost.Stop();
        var done = (await secondPublications.GetAsync("default", publicationId, CancellationToken.None))!;
        var rowsAtEnd = await RowCountAsync(productTable);
        var referenceSecond = await PhaseCost.MeasureAsync(requests, azurite, () => reference.RunAsync(memberCount));

        var pushes = SharedApns.Emulator.Pushes.Where(p => tokens.Contains(p.PushToken)).GroupBy(p => p.PushToken).ToDictionary(g => g.Key, g => g.Count());
        var exactlyOnce = tokens.Count(t => pushes.GetValueOrDefault(t) == 1);
        var twice = tokens.Count(t => pushes.GetValueOrDefault(t) > 1);
        var never = tokens.Count(t => pushes.GetValueOrDefault(t) == 0);

        // The previous reference, kept for comparison: the same kind of operations in a small table of their own.
        var rawAfter = await RawStorageRateAsync(azurite, first.StoragePrefix + "rawmembers", Concurrency, "after", requests);
        var raw = (rawBefore.RequestsPerSecond + rawAfter.RequestsPerSecond) / 2;
        var total = firstSpent.Elapsed + secondSpent.Elapsed;
        var rate = memberCount / total.TotalSeconds;
        var referenceRate = (referenceFirst.Units + referenceSecond.Units) / (referenceFirst.Elapsed + referenceSecond.Elapsed).TotalSeconds;
        var firstMembers = atRestart.MembersDone;
        var secondMembers = memberCount - atRestart.MembersDone;
        Console.WriteLine($"== Bulk re-issue ({memberCount:N0} members with a registered device, Azurite, APNs emulator) ==");
        Console.WriteLine($"reference: the same storage operations done directly, in a table of the same rows: {referenceRate,8:N0} members/s ({referenceFirst.Units / referenceFirst.Elapsed.TotalSeconds:N0}/s first half, {referenceSecond.Units / referenceSecond.Elapsed.TotalSeconds:N0}/s second half)");
        Console.WriteLine($"members re-issued (push sent):           {rate,10:N0} /s   ({rate / referenceRate:N2}x the reference; target >= 0.6x)");
        Console.WriteLine($"  first instance {firstMembers / firstSpent.Elapsed.TotalSeconds:N0}/s ({firstMembers / firstSpent.Elapsed.TotalSeconds / (referenceFirst.Units / referenceFirst.Elapsed.TotalSeconds):N2}x the reference's first half), resumed {secondMembers / secondSpent.Elapsed.TotalSeconds:N0}/s ({secondMembers / secondSpent.Elapsed.TotalSeconds / (referenceSecond.Units / referenceSecond.Elapsed.TotalSeconds):N2}x its second half)");
        // Load-independent: what each member cost Azurite (one thread, the bottleneck on a quiet machine), reference over app.
        Console.WriteLine($"Azurite CPU per member, reference / app: {referenceFirst.AzuritePer(referenceFirst.Units) / firstSpent.AzuritePer(firstMembers):N2} first half, {referenceSecond.AzuritePer(referenceSecond.Units) / secondSpent.AzuritePer(secondMembers):N2} second half, " +
            $"{(referenceFirst.SpentAzuriteCpu + referenceSecond.SpentAzuriteCpu) / (firstSpent.SpentAzuriteCpu + secondSpent.SpentAzuriteCpu):N2} in all");
        Console.WriteLine($"small-table reference (the previous one: one member's operations in a table of their own): {raw,8:N0} /s ({rate / raw:N2}x; {rawBefore.RequestsPerSecond:N0} before, {rawAfter.RequestsPerSecond:N0} after)");
        Console.WriteLine($"killed at {atRestart.MembersDone:N0} members done ({firstSpent.Elapsed.TotalSeconds:N1} s), resumed on a new instance ({secondSpent.Elapsed.TotalSeconds:N1} s, its first checkpoint after {firstCheckpoint.TotalSeconds:N1} s): state {done.State}, {done.MembersDone:N0} visited, {done.DevicesPushed:N0} devices pushed");
        Console.WriteLine($"devices pushed exactly once: {exactlyOnce:N0} of {tokens.Count:N0}; more than once: {twice:N0}; never: {never:N0}");
        Console.WriteLine($"per member, app first instance ({firstMembers:N0}): {firstSpent.Per(firstMembers)}");
        Console.WriteLine($"per member, reference first half ({referenceFirst.Units:N0}): {referenceFirst.Per(referenceFirst.Units)}");
        Console.WriteLine($"per member, app resumed instance ({secondMembers:N0}): {secondSpent.Per(secondMembers)}");
        Console.WriteLine($"per member, reference second half ({referenceSecond.Units:N0}): {referenceSecond.Per(referenceSecond.Units)}");
        Console.WriteLine($"per op, small-table reference before: {rawBefore}");
        Console.WriteLine($"per op, small-table reference after:  {rawAfter}");
        Console.WriteLine($"rows: table members {rowsAtRestart:N0} at the restart, {rowsAtEnd:N0} at the end; the reference's table {await RowCountAsync(referenceTable):N0} at the end; load average {File.ReadAllText("/proc/loadavg").Trim()}");
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
    /// its <c>reg|</c> row, one transaction per member), into each of <paramref name="tables"/> (the app's and the reference's): creating 10,000 through the API would take longer than the
    /// measurement on a loaded machine, and the re-issue reads nothing else.
    /// </summary>
    private static async Task<HashSet<string>> SeedAsync(WalletPassesFactory factory, IReadOnlyList<TableClient> tables, int memberCount)
    {
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
            foreach (var table in tables)
            {
                await table.SubmitTransactionAsync([new(TableTransactionActionType.UpsertReplace, member), new(TableTransactionActionType.UpsertReplace, registration)], token);
            }
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

    private static async Task<long> RowCountAsync(TableClient table)
    {
        long rows = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(maxPerPage: 1000, select: ["PartitionKey"]))
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

    /// <summary>
    /// What a phase of the re-issue cost: its wall time, storage requests by kind, CPU of this process (app) and of
    /// Azurite. Azurite runs on one thread: its CPU near the phase's wall time means the phase waited on Azurite.
    /// </summary>
    private sealed record PhaseCost(StorageRequestCounter Counter, AzuriteServer Azurite, IReadOnlyDictionary<string, long> Requests, TimeSpan Cpu, TimeSpan AzuriteCpu, TimeSpan Jit, long JitMethods, Stopwatch Clock)
    {
        public IReadOnlyDictionary<string, long>? EndRequests { get; private init; }

        public TimeSpan SpentCpu { get; private init; }

        public TimeSpan SpentAzuriteCpu { get; private init; }

        public TimeSpan Elapsed { get; private init; }

        /// <summary>Time this process spent compiling methods in the phase (all threads), and how many: a first run pays its code's JIT.</summary>
        public TimeSpan SpentJit { get; private init; }

        public long SpentJitMethods { get; private init; }

        /// <summary>The units of work done in the phase (members), when <see cref="MeasureAsync"/> counted them.</summary>
        public int Units { get; private init; }

        public static PhaseCost Start(StorageRequestCounter counter, AzuriteServer azurite) =>
            new(counter, azurite, counter.Snapshot(), Environment.CpuUsage.TotalTime, azurite.ProcessorTime, System.Runtime.JitInfo.GetCompilationTime(), System.Runtime.JitInfo.GetCompiledMethodCount(), Stopwatch.StartNew());

        public static async Task<PhaseCost> MeasureAsync(StorageRequestCounter counter, AzuriteServer azurite, Func<Task<int>> work)
        {
            var phase = Start(counter, azurite);
            var units = await work();
            return phase.Stop() with { Units = units };
        }

        public PhaseCost Stop() => this with
        {
            EndRequests = Counter.Snapshot(),
            SpentCpu = Environment.CpuUsage.TotalTime - Cpu,
            SpentAzuriteCpu = Azurite.ProcessorTime - AzuriteCpu,
            Elapsed = Clock.Elapsed,
            SpentJit = System.Runtime.JitInfo.GetCompilationTime() - Jit,
            SpentJitMethods = System.Runtime.JitInfo.GetCompiledMethodCount() - JitMethods,
        };

        public double AzuritePer(long members) => SpentAzuriteCpu.TotalMicroseconds / members;

        public string Per(long members) =>
            $"{Elapsed.TotalMilliseconds * 1000 / members:N0} µs wall; CPU {SpentCpu.TotalMicroseconds / members:N0} µs here + {SpentAzuriteCpu.TotalMicroseconds / members:N0} µs Azurite " +
            $"(Azurite busy {SpentAzuriteCpu / Elapsed:P0} of the wall time, this process {SpentCpu / Elapsed:P0}; JIT {SpentJit.TotalMicroseconds / members:N0} µs, {SpentJitMethods:N0} methods in all); {StorageRequestCounter.PerUnit(Requests, EndRequests!, members)}";
    }
}
