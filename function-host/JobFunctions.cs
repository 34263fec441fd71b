using Microsoft.Azure.Functions.Worker;
using WalletPasses.Delivery;
using WalletPasses.Google;
using WalletPasses.Jobs;
using WalletPasses.Popups;
using WalletPasses.Publishing;
using WalletPasses.Staff;
using WalletPasses.Storage;

namespace WalletPasses.Functions;

/// <summary>
/// The periodic work, one timer trigger per job (NCRONTAB with seconds, the job's own <c>Schedule</c>). The host
/// runs one schedule on one instance at a time (a blob lease) and wakes a scaled-in app for it; each run does a
/// bounded amount of work and returns, and a job run twice at once does no harm.
/// </summary>
public sealed class JobFunctions(
    StaleAnnouncementsJob staleAnnouncements, RepushJob repush, DeviceCensusJob census, PointsWebhookJob pointsWebhook, RetentionSweepJob retention, DeferredAlertsJob deferredAlerts, OfferExpiryJob offerExpiry, GoogleClassSyncJob googleClass, BulkReissueJob bulkReissue, PopupTransitionsJob popupTransitions, IStorageReadiness storage)
{
    /// <summary>Finishes announcements a platform has not heard yet (APNs or Google failed), with back-off.</summary>
    [Function("FinishStaleAnnouncements")]
    public Task FinishStaleAnnouncements([TimerTrigger(StaleAnnouncementsJob.Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(staleAnnouncements, cancellationToken);

    /// <summary>Pushes once more the devices that did not ask for a version within the re-push window.</summary>
    [Function("RepushUnfetchedDevices")]
    public Task RepushUnfetchedDevices([TimerTrigger(RepushJob.Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(repush, cancellationToken);

    /// <summary>Counts registered devices by whether they hold the latest pass version (one chunk of members after another, resumable).</summary>
    [Function("CountDevicesOnLatestVersion")]
    public Task CountDevicesOnLatestVersion([TimerTrigger(DeviceCensusJob.Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(census, cancellationToken);

    /// <summary>Retries points requests the loyalty backend's webhook has not accepted yet.</summary>
    [Function("RetryPointsWebhook")]
    public Task RetryPointsWebhook([TimerTrigger(PointsWebhookJob.Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(pointsWebhook, cancellationToken);

    /// <summary>Deletes what the retention policy no longer keeps (applied events, scans, traces, callback nonces).</summary>
    [Function("SweepExpiredRows")]
    public Task SweepExpiredRows([TimerTrigger(RetentionSweepJob.Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(retention, cancellationToken);

    /// <summary>Sends the important alerts that waited for the end of a member's quiet hours.</summary>
    [Function("SendDeferredAlerts")]
    public Task SendDeferredAlerts([TimerTrigger(DeferredAlertsJob.Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(deferredAlerts, cancellationToken);

    /// <summary>Takes offers off the passes at their expiry, with a silent new version (Apple Wallet has no expiry per field).</summary>
    [Function("ExpireOffers")]
    public Task ExpireOffers([TimerTrigger(OfferExpiryJob.Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(offerExpiry, cancellationToken);

    /// <summary>Brings the Google Wallet loyalty class in line with the template (nothing while Google Wallet is off).</summary>
    [Function("SyncGoogleClass")]
    public Task SyncGoogleClass([TimerTrigger(GoogleClassSyncJob.Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(googleClass, cancellationToken);

    /// <summary>Re-issues the program's passes after a template publication, a checkpointed chunk at a time (rate-limited, resumable).</summary>
    [Function("BulkReissue")]
    public Task BulkReissue([TimerTrigger(BulkReissueJob.Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(bulkReissue, cancellationToken);

    /// <summary>Notices a pop-up being announced, opening or closing and starts the re-issue of the passes that carry it.</summary>
    [Function("PopupTransitions")]
    public Task PopupTransitions([TimerTrigger(PopupTransitionsJob.Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(popupTransitions, cancellationToken);

    /// <summary>A timer can be the first thing a scaled-from-zero instance runs: storage set-up comes first.</summary>
    private async Task RunAsync(IPeriodicJob job, CancellationToken cancellationToken)
    {
        // The host cancels this token on a drain or shutdown, not the worker's ApplicationStopping: a Google call it cuts
        // short (the class sync's) is not Google failing to answer, and must not show in health as such.
        GoogleCallDeadline.SetHostCancellation(cancellationToken);
        await storage.WhenReadyAsync(cancellationToken);
        await job.RunOnceAsync(cancellationToken);
    }
}
