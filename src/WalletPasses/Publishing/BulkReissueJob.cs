using System.Diagnostics;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Apple;
using WalletPasses.Google;
using WalletPasses.Jobs;
using WalletPasses.Members;
using WalletPasses.Popups;
using WalletPasses.Programs;
using WalletPasses.Storage;
using WalletPasses.Telemetry;
using WalletPasses.Templates;

namespace WalletPasses.Publishing;

/// <summary>
/// The bulk re-issue after a template publication or a change of the pop-ups passes carry (<see cref="PublicationCauses"/>), driven by the host's timer: each run takes the program's running
/// publication (a lease on its row, claimed by ETag, so two instances never work it at once; a crashed holder's
/// lease runs out), then visits members in member-id order, a chunk at a time, at most
/// <see cref="PublishingOptions.MembersPerSecond"/>, re-issuing each (<see cref="MemberReissue"/>; the chunk's device
/// registrations in one query, not one per member), and after each chunk moves the checkpoint (cursor and counters,
/// one ETag-guarded write). It returns after
/// <see cref="PublishingOptions.RunBudget"/>; the next run goes on from the checkpoint. A crash loses at most the
/// chunk in hand, which the next run redoes without pushing any device twice.
/// </summary>
public sealed partial class BulkReissueJob(
    Publications publications,
    PublishedTemplates published,
    ProgramTemplates templates,
    ProgramRegistry programs,
    MemberReissue reissue,
    CarriedPopups popups,
    DeviceRegistrations registrations,
    StorageClients storage,
    ApplePasses apple,
    IServiceProvider services,
    IOptions<PublishingOptions> options,
    IOptions<WalletPassesOptions> walletOptions,
    TimeProvider time,
    WalletPassesTelemetry telemetry,
    ILogger<BulkReissueJob> logger) : IPeriodicJob
{
    /// <summary>Every 10 seconds (NCRONTAB with seconds): a publication starts re-issuing within 10 s of its 202.</summary>
    public const string Schedule = "*/10 * * * * *";

    public string Name => "BulkReissue";

    public TimeSpan StandaloneInterval => TimeSpan.FromSeconds(10);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var budget = Stopwatch.StartNew();
        foreach (var program in await programs.AllAsync(cancellationToken))
        {
            foreach (var publication in await publications.RunningAsync(program.Id, cancellationToken))
            {
                if (program.IsRetired)
                {
                    // Settled, not left running: a retired program's passes are no longer served or pushed.
                    publication.State = PublicationStates.Stopped;
                    publication.FinishedAt = publication.LeaseUntil = time.GetUtcNow();
                    await publications.TryReplaceAsync(publication, cancellationToken);
                    continue;
                }

                await RunAsync(publication, budget, cancellationToken);
            }
        }
    }

    private async Task RunAsync(PublicationEntity publication, Stopwatch budget, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (publication.LeaseUntil > now)
        {
            return; // another run holds it
        }

        publication.LeaseUntil = now + options.Value.Lease;
        if (!await publications.TryReplaceAsync(publication, cancellationToken))
        {
            return; // another run claimed it first
        }

        var commitOne = publication.IsPopups
            ? await PopupReissueAsync(publication, cancellationToken)
            : await TemplateReissueAsync(publication, cancellationToken);
        if (commitOne is null)
        {
            return;
        }

        var programId = publication.PartitionKey;
        publication.MembersTotal ??= await CountMembersAsync(programId, cancellationToken);
        do
        {
            var chunkTime = Stopwatch.StartNew();
            var chunk = await NextChunkAsync(programId, publication.Cursor, cancellationToken);
            var outcomes = await ReissueAsync(chunk, commitOne, cancellationToken);

            Record(publication, chunk, outcomes);
            var finished = chunk.Count < options.Value.ChunkSize;
            if (finished)
            {
                publication.State = PublicationStates.Finished;
                publication.FinishedAt = time.GetUtcNow();
            }

            publication.LeaseUntil = finished ? time.GetUtcNow() : time.GetUtcNow() + options.Value.Lease;
            if (!await publications.TryReplaceAsync(publication, cancellationToken))
            {
                LogLeaseLost(logger, publication.RowKey);
                return; // the lease ran out and another run took over: it redoes this chunk
            }

            telemetry.Reissued(outcomes.Count(o => o.Reissued), outcomes.Sum(o => o.DevicesPushed), outcomes.Count(o => o.Pending));
            telemetry.PublicationProgress(publication.MembersDone, publication.MembersTotal ?? 0);
            if (finished)
            {
                LogFinished(logger, publication.RowKey, publication.TemplateVersion, publication.MembersDone, publication.DevicesPushed);
                return;
            }

            // The rate limit: a chunk takes at least ChunkSize / MembersPerSecond seconds.
            var least = TimeSpan.FromSeconds((double)chunk.Count / options.Value.MembersPerSecond);
            if (least > chunkTime.Elapsed)
            {
                await Task.Delay(least - chunkTime.Elapsed, cancellationToken);
            }
        }
        while (!cancellationToken.IsCancellationRequested && budget.Elapsed < options.Value.RunBudget); // a run does at least one chunk

        // Out of budget: let the next run start at once.
        publication.LeaseUntil = time.GetUtcNow();
        await publications.TryReplaceAsync(publication, cancellationToken);
    }

    /// <summary>How a template publication re-issues a member; null when a newer publication superseded it.</summary>
    private async Task<Func<MemberEntity, CancellationToken, Task<CommittedReissue>>?> TemplateReissueAsync(PublicationEntity publication, CancellationToken cancellationToken)
    {
        var programId = publication.PartitionKey;
        if (await EnsureCurrentAsync(publication, cancellationToken) is not { } pointer)
        {
            return null;
        }

        var after = await published.LoadAsync(programId, pointer, cancellationToken)
            ?? throw new InvalidOperationException($"The files of template version {pointer.Number} are missing.");
        var previous = publication.PreviousPublicationId is { } previousId ? new TemplatePointer(pointer.Number - 1, previousId, pointer.PublishedAt) : null;
        var before = await published.LoadAsync(programId, previous, cancellationToken) ?? after;
        var comparison = new TemplateComparison(before, after, apple, services.GetService<GooglePassContent>());

        if (comparison.GoogleEnabled && !publication.GoogleClassDone && services.GetService<GoogleClassSync>() is { } classes)
        {
            await classes.EnsureCurrentAsync(programId, after, cancellationToken); // once per publication: the objects then follow
            publication.GoogleClassDone = true;
        }

        return (member, token) => reissue.CommitAsync(member, comparison, token);
    }

    /// <summary>
    /// How a pop-up publication re-issues a member: to its revision of the carried pop-ups. Null (and the publication
    /// superseded) when a newer revision exists: its own publication visits every member.
    /// </summary>
    private async Task<Func<MemberEntity, CancellationToken, Task<CommittedReissue>>?> PopupReissueAsync(PublicationEntity publication, CancellationToken cancellationToken)
    {
        var carried = await popups.GetAtLeastAsync(publication.PartitionKey, publication.PopupRevision, cancellationToken);
        if (carried.Revision > publication.PopupRevision)
        {
            publication.State = PublicationStates.Superseded;
            publication.FinishedAt = time.GetUtcNow();
            await publications.TryReplaceAsync(publication, cancellationToken);
            return null;
        }

        var google = services.GetService<GooglePassContent>() is not null;
        return (member, token) => reissue.CommitPopupsAsync(member, carried, google, token);
    }

    /// <summary>
    /// Re-issues a chunk: commits every member's version, reads the chunk's device registrations in one query (after
    /// the commits: a device registered before its member's commit is pushed), then delivers each version.
    /// </summary>
    private async Task<ReissueOutcome[]> ReissueAsync(List<MemberEntity> chunk, Func<MemberEntity, CancellationToken, Task<CommittedReissue>> commitOne, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = cancellationToken };
        var committed = new CommittedReissue[chunk.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, chunk.Count), parallel, async (i, token) => committed[i] = await commitOne(chunk[i], token));

        var toDeliver = committed.Where(c => c.Announcement is { IsCleared: false }).Select(c => c.Member.PartitionKey).ToArray();
        using var preloaded = DeviceRegistrations.UsePreloaded(await registrations.ForMembersAsync(toDeliver, cancellationToken));
        var outcomes = new ReissueOutcome[chunk.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, chunk.Count), parallel, async (i, token) => outcomes[i] = await reissue.DeliverAsync(committed[i], token));
        return outcomes;
    }

    private static void Record(PublicationEntity publication, List<MemberEntity> chunk, ReissueOutcome[] outcomes)
    {
        if (chunk.Count > 0)
        {
            publication.Cursor = chunk[^1].PartitionKey;
        }

        publication.MembersDone += chunk.Count;
        publication.MembersReissued += outcomes.Count(o => o.Reissued);
        publication.DevicesPushed += outcomes.Sum(o => o.DevicesPushed);
        publication.DeliveryFailures += outcomes.Count(o => o.Pending);
        publication.GoogleObjectsUpdated += outcomes.Count(o => o.GoogleAnnounced);
    }

    /// <summary>
    /// The publication's version is the program's current one: switches the pointer if the publishing request died
    /// before it did. Null (and the publication marked superseded) when a newer version is current.
    /// </summary>
    private async Task<TemplatePointer?> EnsureCurrentAsync(PublicationEntity publication, CancellationToken cancellationToken)
    {
        var programId = publication.PartitionKey;
        var current = await published.CurrentAsync(programId, cancellationToken);
        var number = current?.Pointer.Number ?? 0;
        if (current?.Pointer is { } pointer && pointer.PublicationId == publication.RowKey)
        {
            return pointer;
        }

        if (number == publication.TemplateVersion - 1)
        {
            var next = new TemplatePointer(publication.TemplateVersion, publication.RowKey, time.GetUtcNow());
            if (await published.SwitchAsync(programId, next, current?.ETag, cancellationToken))
            {
                await templates.For(programId).GetAtLeastAsync(next.Number, cancellationToken);
                return next;
            }
        }

        publication.State = PublicationStates.Superseded;
        publication.FinishedAt = time.GetUtcNow();
        await publications.TryReplaceAsync(publication, cancellationToken);
        return null;
    }

    private async Task<List<MemberEntity>> NextChunkAsync(string programId, string? cursor, CancellationToken cancellationToken)
    {
        var filter = ProgramMemberRows.Filter(programId, walletOptions.Value.ProgramId, cursor);
        var chunk = new List<MemberEntity>(options.Value.ChunkSize);
        await foreach (var member in storage.Members.QueryAsync<MemberEntity>(filter, maxPerPage: options.Value.ChunkSize, cancellationToken: cancellationToken))
        {
            if (!ProgramMemberRows.Belongs(member.PartitionKey, programId, walletOptions.Value.ProgramId))
            {
                continue;
            }

            chunk.Add(member);
            if (chunk.Count == options.Value.ChunkSize)
            {
                break;
            }
        }

        return chunk;
    }

    private async Task<long> CountMembersAsync(string programId, CancellationToken cancellationToken)
    {
        long count = 0;
        await foreach (var row in storage.Members.QueryAsync<TableEntity>(
            ProgramMemberRows.Filter(programId, walletOptions.Value.ProgramId, after: null), maxPerPage: 1000, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            count += ProgramMemberRows.Belongs(row.PartitionKey, programId, walletOptions.Value.ProgramId) ? 1 : 0;
        }

        return count;
    }

    [LoggerMessage(LogLevel.Warning, "Publication {PublicationId}: another run took over the re-issue; it redoes the last chunk")]
    private static partial void LogLeaseLost(ILogger logger, string publicationId);

    [LoggerMessage(LogLevel.Information, "Publication {PublicationId} (template version {TemplateVersion}) re-issued {Members} members' passes; {Devices} devices pushed")]
    private static partial void LogFinished(ILogger logger, string publicationId, long templateVersion, long members, long devices);
}
