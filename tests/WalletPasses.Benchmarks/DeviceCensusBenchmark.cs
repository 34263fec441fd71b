using System.Diagnostics;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Apple;
using WalletPasses.Delivery;
using WalletPasses.Hosting;
using WalletPasses.Members;
using WalletPasses.Storage;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Benchmarks;

/// <summary>
/// The device census over Azurite: members seeded as the app writes them (member row, announcement with an APNs
/// record of two pushed devices, their registrations, one device's "what changed" and fetch trace rows: the worst
/// case, every member needs its trace query), a whole census timed in alternating rounds with the bare storage reads
/// it cannot avoid (the filtered walk of member, announcement and registration rows, and one trace range query per
/// member, eight at once as the census does them). The ratio is the census's own cost on top of storage; the rate says how long a census of many members takes.
/// </summary>
public static class DeviceCensusBenchmark
{
    private const int Members = 1_000;
    // Many alternating rounds, compared pairwise: on a shared machine the load changes within seconds.
    private const int Rounds = 11;
    private const double Target = 0.8;

    public static async Task RunAsync(string[] args)
    {
        await using var azurite = await AzuriteServer.StartAsync();
        await using var factory = new WalletPassesFactory(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["WalletPasses:Delivery:CensusRunBudget"] = "01:00:00", // one run, one whole census
        })
        {
            ConfigureTestServices = services => services.Remove(services.Single(d => d.ImplementationType == typeof(StandaloneJobRunner))),
        };
        var storage = factory.Services.GetRequiredService<StorageClients>();
        await factory.Services.GetRequiredService<IStorageReadiness>().WhenReadyAsync(CancellationToken.None);
        var announcedAt = factory.Time.GetUtcNow();
        await Parallel.ForEachAsync(Enumerable.Range(0, Members), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await storage.Members.SubmitTransactionAsync(MemberRows($"m-{i:D6}", announcedAt).Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)), ct));

        var job = factory.Services.GetRequiredService<DeviceCensusJob>();
        var (census, bare) = (new List<double>(), new List<double>());
        for (var round = 0; round < Rounds; round++)
        {
            factory.Time.Advance(new DeliveryOptions().CensusInterval); // due again
            census.Add(await TimeAsync(() => job.RunOnceAsync(CancellationToken.None)));
            bare.Add(await TimeAsync(() => BareReadsAsync(storage.Members, announcedAt)));
        }

        var row = await storage.Table(StorageNames.DeliveryTraceTable).GetEntityAsync<DeviceCensusEntity>(TableRows.DeliveryTrace.CensusPartition, TableRows.DeliveryTrace.Census);
        var counts = row.Value.Completed ?? throw new InvalidOperationException("No census completed.");
        if (counts.Members != Members || counts.Registered != 2 * Members || counts.Current != Members)
        {
            throw new InvalidOperationException($"The census counted {counts}, expected {Members} members, {2 * Members} devices, {Members} current.");
        }

        var (censusRate, bareRate) = (Members / Median(census), Members / Median(bare));
        var ratio = Median([.. census.Zip(bare, (c, b) => b / c)]);
        Console.WriteLine($"== Device census ({Members:N0} members, 2 devices each, every member with a pushed device; Azurite; {Rounds} alternating rounds) ==");
        Console.WriteLine($"census: {censusRate,10:N0} members/s   bare storage reads: {bareRate,10:N0} members/s   (medians)   ratio {ratio:N2}x (median of the rounds' ratios; target >= {Target:N1}x)");
    }

    private static IEnumerable<ITableEntity> MemberRows(string memberId, DateTimeOffset announcedAt)
    {
        var serial = Guid.NewGuid().ToString("N");
        var pushes = DevicePushes.Parse(null);
        var devices = new[] { $"device.{memberId}.a", $"device.{memberId}.b" };
        foreach (var device in devices)
        {
            pushes.Record(device, new DevicePush(DevicePushStates.Pushed, announcedAt, 200, Guid.NewGuid().ToString().ToUpperInvariant(), null));
        }

        var announcement = new PassAnnouncementEntity { PartitionKey = memberId, SerialNumber = serial, Version = 2, AnnouncedAt = announcedAt };
        announcement.SetRecords(new Dictionary<string, string> { [ApplePushNotifier.PlatformName] = pushes.ToRecord() });
        yield return announcement;
        yield return new MemberEntity { PartitionKey = memberId, SerialNumber = serial, PassVersion = 2, DisplayName = "Jane Doe", Points = 1250, Tier = "gold" };
        foreach (var device in devices)
        {
            yield return new DeviceRegistrationEntity { PartitionKey = memberId, RowKey = TableRows.Members.Registration(device), PushToken = new string('a', 64), SerialNumber = serial, RegisteredAt = announcedAt.AddDays(-1) };
        }

        var listed = announcedAt.AddSeconds(5);
        yield return new DeliveryTraceEntity { PartitionKey = memberId, RowKey = DeliveryTraceEntity.RowKeyFor(listed, DeliveryTraceKinds.List, devices[0]), At = listed, Kind = DeliveryTraceKinds.List, Device = devices[0] };
        var fetched = announcedAt.AddSeconds(6);
        yield return new DeliveryTraceEntity { PartitionKey = memberId, RowKey = DeliveryTraceEntity.RowKeyFor(fetched, DeliveryTraceKinds.Fetch, "2|200"), At = fetched, Kind = DeliveryTraceKinds.Fetch, Version = 2, Status = 200 };
    }

    /// <summary>The reads a census cannot avoid, with nothing done with the rows.</summary>
    private static async Task BareReadsAsync(TableClient members, DateTimeOffset announcedAt)
    {
        var walk = TableClient.CreateQueryFilter(
            $"PartitionKey gt {""} and (RowKey eq {TableRows.Members.Member} or RowKey eq {TableRows.Members.Announcement} or (RowKey ge {TableRows.Members.RegistrationPrefix} and RowKey lt {TableRows.RangeEnd(TableRows.Members.RegistrationPrefix)}))");
        var memberIds = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in members.QueryAsync<TableEntity>(walk, maxPerPage: 1000))
        {
            memberIds.Add(row.PartitionKey);
        }

        // As many at once as the census runs (8).
        await Parallel.ForEachAsync(memberIds, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (memberId, ct) =>
        {
            var calls = TableClient.CreateQueryFilter(
                $"PartitionKey eq {memberId} and RowKey ge {DeliveryTraceEntity.RowKeyPrefix} and RowKey lt {DeliveryTraceEntity.RowKeyEndAt(announcedAt)} and (Kind eq {DeliveryTraceKinds.List} or Kind eq {DeliveryTraceKinds.Fetch})");
            await foreach (var row in members.QueryAsync<TableEntity>(calls, cancellationToken: ct))
            {
                _ = row;
            }
        });
    }

    private static async Task<double> TimeAsync(Func<Task> work)
    {
        var watch = Stopwatch.StartNew();
        await work();
        return watch.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
