using Microsoft.Extensions.Options;
using WalletPasses.Jobs;
using WalletPasses.Members;
using WalletPasses.Telemetry;

namespace WalletPasses.Delivery;

/// <summary>
/// Finishes announcements nothing else finishes: a platform failed (APNs 5xx, Google down) and its back-off is
/// over, or a member request's process died before the platforms heard of its version. Each run takes the due
/// members (<see cref="AnnouncementDueEntity"/>), claims each by ETag (so a second instance running the job at
/// the same time skips it), delivers what is pending, and removes the member from the index once nothing is.
/// </summary>
public sealed partial class StaleAnnouncementsJob(
    Announcements announcements,
    PassChanges passChanges,
    IOptions<DeliveryOptions> options,
    WalletPassesTelemetry telemetry,
    TimeProvider time,
    ILogger<StaleAnnouncementsJob> logger) : IPeriodicJob
{
    /// <summary>NCRONTAB (with seconds) for the Functions timer trigger: every 30 seconds.</summary>
    public const string Schedule = "*/30 * * * * *";

    private const int Concurrency = 4;

    // Long enough for one delivery (Google's budget, APNs retries); a claim that outlives its instance expires.
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);

    public string Name => "StaleAnnouncements";

    public TimeSpan StandaloneInterval => TimeSpan.FromSeconds(30);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var due = await announcements.DueAsync(options.Value.MaxPerRun, cancellationToken);
        telemetry.AnnouncementsDue([.. due.Select(row => row.NextAttemptAt)], time.GetUtcNow());
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (row, token) =>
        {
            if (!await announcements.TryClaimAsync(row, ClaimLease, token))
            {
                return;
            }

            try
            {
                if (await passChanges.FinishStaleAsync(row.PartitionKey, token))
                {
                    await announcements.RemoveDueAsync(row, token);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Storage failed: the claim expires and a later run takes the member up again.
                LogFinishFailed(logger, e, row.PartitionKey);
            }
        });
    }

    [LoggerMessage(LogLevel.Warning, "Finishing the pending announcement of member {MemberId} failed; trying again later")]
    private static partial void LogFinishFailed(ILogger logger, Exception exception, string memberId);
}
