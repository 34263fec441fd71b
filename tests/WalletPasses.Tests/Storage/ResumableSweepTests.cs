using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WalletPasses.Storage;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Storage;

/// <summary>
/// The retention sweep over tables larger than one run can read (a deployment running for years). Table Storage
/// answers a filtered query a page at a time, at most 1,000 entities and 5 seconds a page, and may answer a page with
/// no entities but a continuation token; the next page is asked for with that token and the original request's
/// <c>$filter</c>, <c>$select</c> and <c>$top</c> ("Query Timeout and Pagination", Table service REST reference,
/// https://learn.microsoft.com/rest/api/storageservices/Query-Timeout-and-Pagination). So a run that re-reads a table
/// from its start and stops at a cap, its time budget or the Functions timeout would re-read the same head every time
/// and never reach expired rows past it: personal data kept past its documented retention. Here the head is rows the
/// filter matches and the sweep keeps (once-only perk claims), as the rows the service scans without a match would be
/// in Azure. Each test has tables of its own (a name prefix), so its sweep's saved place is its own.
/// </summary>
public sealed class ResumableSweepTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private sealed record Tables(StorageClients Storage)
    {
        public TableClient Members => Storage.Members;

        public TableClient Scans => Storage.Table(StorageNames.ScansTable);
    }

    [Fact]
    public async Task Every_expired_row_of_tables_larger_than_a_runs_cap_goes_within_a_bounded_number_of_runs_and_unexpired_rows_stay()
    {
        const int cap = 5;
        var tables = await CreateTablesAsync();
        await SeedMembersAsync(tables.Members, headClaims: 12, memberCount: 30);
        await SeedScansAsync(tables.Scans, expired: 12, kept: 12);
        var sweep = SweepOf(tables.Storage, cap);

        await sweep.RunOnceAsync(default);
        var expiredAfterOneRun = (await RowKeysAsync(tables.Members)).Count(IsExpiredMemberRow);
        // Each run deletes fewer than twice the cap or reaches the end of the table: 60 expired member rows need at
        // most 60 / 5 runs, plus one more for the pass that started before they were all deleted.
        for (var run = 1; run < (2 * 30 / cap) + 1; run++)
        {
            await sweep.RunOnceAsync(default);
        }

        Assert.InRange(expiredAfterOneRun, 60 - (2 * cap) + 1, 60 - cap); // the cap held: the rest was left to later runs
        await AssertOnlyUnexpiredRowsLeftAsync(tables, headClaims: 12, memberCount: 30);
        Assert.Equal(12, (await RowKeysAsync(tables.Scans)).Count);
        Assert.All(await RowKeysAsync(tables.Scans), key => Assert.StartsWith("kept-", key, StringComparison.Ordinal));
    }

    /// <summary>
    /// Under the Functions host a run may end at any request (the function timeout cancels it, a scale-in or a crash
    /// stops it). Here every run is cancelled when it asks for its second page of <c>members</c>: a sweep that starts
    /// each run from the start of the table reads the same 1,000-row head every time and never deletes a row past it.
    /// </summary>
    [Fact]
    public async Task Runs_cancelled_after_their_first_page_still_reach_the_expired_rows_past_the_tables_head()
    {
        var stop = new CancelOnRequest(request => request.Method == RequestMethod.Get && request.Uri.Path.Contains("members()", StringComparison.Ordinal), stopAt: 2);
        var tables = await CreateTablesAsync(stop);
        await SeedMembersAsync(tables.Members, headClaims: 1_200, memberCount: 30);
        var sweep = SweepOf(tables.Storage, new RetentionOptions().MaxDeletesPerRun);

        var cancelledRuns = 0;
        for (var run = 0; run < 3; run++)
        {
            using var runCancellation = stop.StartRun();
            try
            {
                await sweep.RunOnceAsync(runCancellation.Token);
            }
            catch (OperationCanceledException)
            {
                cancelledRuns++;
            }
        }

        Assert.True(cancelledRuns > 0); // the runs were cut short, as the timeout would
        await AssertOnlyUnexpiredRowsLeftAsync(tables, headClaims: 1_200, memberCount: 30);
    }

    private static bool IsExpiredMemberRow(string rowKey) => rowKey is "event|old" or "trace|old";

    private static async Task AssertOnlyUnexpiredRowsLeftAsync(Tables tables, int headClaims, int memberCount)
    {
        var left = await RowKeysAsync(tables.Members);
        Assert.DoesNotContain(left, IsExpiredMemberRow);
        Assert.Equal(memberCount, left.Count(key => key == "event|new"));
        Assert.Equal(memberCount, left.Count(key => key == "trace|new"));
        Assert.Equal(memberCount, left.Count(key => key == "member"));
        Assert.Equal(headClaims, left.Count(key => key.EndsWith("|once", StringComparison.Ordinal))); // once-only perks refuse a second redemption for good
    }

    private static RetentionSweepJob SweepOf(StorageClients storage, int maxDeletesPerRun) =>
        new(
            storage,
            new ResumableSweep(storage, TimeProvider.System),
            [],
            Options.Create(new RetentionOptions { MaxDeletesPerRun = maxDeletesPerRun }),
            TimeProvider.System,
            NullLogger<RetentionSweepJob>.Instance);

    private static async Task<Tables> CreateTablesAsync(HttpPipelinePolicy? policy = null)
    {
        var azurite = await AzuriteServer.Shared;
        var prefix = "t" + Guid.NewGuid().ToString("N")[..10];
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StorageClients.Setting] = azurite.ConnectionString,
            [StorageClients.NamePrefixSetting] = prefix,
        }).Build();
        var options = new TableClientOptions();
        if (policy is not null)
        {
            options.AddPolicy(policy, HttpPipelinePosition.PerCall);
        }

        var storage = new StorageClients(configuration, options);
        foreach (var table in new[] { StorageNames.MembersTable, StorageNames.ScansTable, StorageNames.DeliveryTraceTable })
        {
            await storage.Table(table).CreateIfNotExistsAsync();
        }

        return new Tables(storage);
    }

    /// <summary>
    /// A head partition of once-only perk claims redeemed long ago (the sweep's filter matches them, it keeps them),
    /// then members each with a member row, an applied event and a trace row past their retention (14 and 30 days),
    /// and ones within it.
    /// </summary>
    private static async Task SeedMembersAsync(TableClient members, int headClaims, int memberCount)
    {
        var head = Enumerable.Range(0, headClaims)
            .Select(i => new TableEntity("a-head", $"perk|p{i:D5}|once") { ["RedeemedAt"] = Now.AddDays(-100) });
        await InsertAsync(members, head);
        for (var i = 0; i < memberCount; i++)
        {
            var memberId = $"m-{i:D3}";
            await InsertAsync(members, [
                new TableEntity(memberId, "event|new") { ["ProcessedAt"] = Now.AddDays(-1) },
                new TableEntity(memberId, "event|old") { ["ProcessedAt"] = Now.AddDays(-20) },
                new TableEntity(memberId, "member"),
                new TableEntity(memberId, "trace|new") { ["At"] = Now.AddDays(-1) },
                new TableEntity(memberId, "trace|old") { ["At"] = Now.AddDays(-40) },
            ]);
        }
    }

    private static async Task SeedScansAsync(TableClient scans, int expired, int kept)
    {
        foreach (var (prefix, count, scannedAt) in new[] { ("expired-", expired, Now.AddDays(-400)), ("kept-", kept, Now.AddDays(-1)) })
        {
            // A partition each, as scans of different pop-ups and days are; the rows of one kind lie together in key order.
            await InsertAsync(scans, Enumerable.Range(0, count).Select(i => new TableEntity($"{prefix}{i:D3}", $"{prefix}{i:D3}") { ["ScannedAt"] = scannedAt }));
        }
    }

    /// <summary>Entity group transactions of up to 100 rows of one partition (Table service REST reference, "Performing entity group transactions").</summary>
    private static async Task InsertAsync(TableClient table, IEnumerable<TableEntity> rows)
    {
        foreach (var partition in rows.GroupBy(row => row.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                await table.SubmitTransactionAsync(chunk.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)));
            }
        }
    }

    private static async Task<List<string>> RowKeysAsync(TableClient table)
    {
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            keys.Add(row.RowKey);
        }

        return keys;
    }

    /// <summary>Cancels a run as its <c>stopAt</c>-th request that <c>matches</c> goes out, as a host ending the invocation would.</summary>
    private sealed class CancelOnRequest(Func<Request, bool> matches, int stopAt) : HttpPipelinePolicy
    {
        private CancellationTokenSource? _run;
        private int _seen;

        public CancellationTokenSource StartRun()
        {
            (_run, _seen) = (new CancellationTokenSource(), 0);
            return _run;
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The sweep calls storage asynchronously.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (_run is { } run && matches(message.Request) && Interlocked.Increment(ref _seen) == stopAt)
            {
                await run.CancelAsync();
                run.Token.ThrowIfCancellationRequested();
            }

            await ProcessNextAsync(message, pipeline);
        }
    }
}
