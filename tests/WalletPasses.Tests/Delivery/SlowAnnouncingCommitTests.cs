using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Jobs;
using WalletPasses.Members;
using WalletPasses.Storage;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Events;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Delivery;

/// <summary>
/// A member request marks the member due (<c>announcementsdue</c>) before its transaction commits the new version, so
/// that a process dying after the commit leaves the version to <see cref="StaleAnnouncementsJob"/>. The commit can land
/// later than the due time (storage slow: the SDK's network time-out is 100 s a try, "Azure.Core RetryOptions"), and the
/// job then finds the old, cleared announcement. Here the commit is held at storage (<see cref="TableRequestCounter.Before"/>)
/// while the job runs, and the process "dies" right after it: <see cref="MemberStore"/> commits without delivering,
/// what a killed PUT leaves behind (as in <see cref="OutboxTests"/>).
/// </summary>
public sealed class SlowAnnouncingCommitTests(CountedTablesFixture app) : IClassFixture<CountedTablesFixture>
{
    private static readonly TimeSpan RetryInterval = new DeliveryOptions().RetryInterval;

    [Fact]
    public async Task A_version_committed_after_the_job_visited_its_due_row_is_still_pushed_when_its_process_dies()
    {
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var device = new SimulatedDevice(app.Factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        var job = app.Factory.Services.GetServices<IPeriodicJob>().OfType<StaleAnnouncementsJob>().Single();
        var announcements = app.Factory.Services.GetRequiredService<Announcements>();

        // The member transaction (member row and announcement, one $batch) is held until the job has run past the due time.
        var visited = false;
        app.Tables.Before(
            (operations, _) => operations.Count > 1 && operations.Any(o => o.Contains($"(PartitionKey='{pass.MemberId}',RowKey='{PassAnnouncementEntity.RowKeyValue}')", StringComparison.Ordinal)),
            async () =>
            {
                // The app's job runner takes the due row up (its interval is the retry interval) and finishes with it:
                // removed (before the fix), or moved to the end of the window in which the request may still commit.
                app.Factory.Time.Advance(RetryInterval + TimeSpan.FromSeconds(1));
                await Eventually.HoldsAsync(
                    async () => await DueRowAsync(pass.MemberId) is not { } row
                        || (!row.ContainsKey("AnnouncingUntil") && row.GetDateTimeOffset("NextAttemptAt") > app.Factory.Time.GetUtcNow().AddMinutes(5)),
                    "the job has visited the due row");
                visited = true;
            });
        await app.Factory.Services.GetRequiredService<MemberStore>().UpsertAsync(pass.MemberId, new MemberProfile("Jane Doe", 4321, "gold", null, null), default);
        Assert.True(visited, "the job ran while the commit was on its way");
        var pushesAfterCommit = SharedApns.Emulator.Pushes.Count(p => p.PushToken == device.PushToken);
        var committed = (await announcements.GetAsync(pass.MemberId, CancellationToken.None))!;
        Assert.False(committed.IsCleared);

        // Before the fix the job's visit had removed the due row (the old announcement was cleared): nothing was left to
        // push the committed version. Now the row stays while the request could still commit.
        Assert.NotNull(await DueRowAsync(pass.MemberId));

        await Eventually.HoldsAsync(
            async () =>
            {
                await job.RunOnceAsync(CancellationToken.None);
                return (await announcements.GetAsync(pass.MemberId, CancellationToken.None))!.IsCleared;
            },
            "the job delivers the version committed after its visit",
            () => app.Factory.Time.Advance(RetryInterval));
        Assert.Equal(committed.Version, (await announcements.GetAsync(pass.MemberId, CancellationToken.None))!.Version);
        Assert.True(SharedApns.Emulator.Pushes.Count(p => p.PushToken == device.PushToken) > pushesAfterCommit); // at least once: the app's runner and this test both run the job

        // Once no marking request can commit any more, the row goes.
        app.Factory.Time.Advance(TimeSpan.FromMinutes(11));
        await job.RunOnceAsync(CancellationToken.None);
        Assert.Null(await DueRowAsync(pass.MemberId));
    }

    private async Task<TableEntity?> DueRowAsync(string memberId) =>
        await app.Factory.Services.GetRequiredService<StorageClients>().Table(StorageNames.AnnouncementsDueTable)
            .GetIfExistsAsync<TableEntity>(memberId, AnnouncementDueEntity.RowKeyValue, CancellationToken.None);
}
