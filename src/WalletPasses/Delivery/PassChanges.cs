using Microsoft.Extensions.Options;
using WalletPasses.Members;
using WalletPasses.Programs;
using WalletPasses.Storage;

namespace WalletPasses.Delivery;

/// <summary>
/// Delivers announced pass versions (<see cref="PassAnnouncementEntity"/>, the outbox written with each version) to
/// every platform still pending, concurrently, so a slow platform never delays another; records what each did, and
/// puts the member on the retry index when a platform is still pending. Whoever sees an unfinished announcement (a
/// redelivered event, a retried request, <see cref="StaleAnnouncementsJob"/>) calls <see cref="FinishPendingAsync"/>.
/// </summary>
public sealed partial class PassChanges(
    IEnumerable<IPassChangeNotifier> notifiers,
    Announcements announcements,
    DeliveryTrace trace,
    MemberStore members,
    ProgramRegistry programs,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<PassChanges> logger)
{
    private const int MaxErrorLength = 500;

    // Each merge reads the row again; writers of one member's announcement are few (its deliveries, registrations, the re-push).
    private const int MaxMergeAttempts = 5;

    private readonly IPassChangeNotifier[] _notifiers = notifiers.ToArray();

    /// <summary>Finishes the member's announcement if it is pending (its announcer does this too). True when nothing is left pending.</summary>
    public Task<bool> FinishPendingAsync(string memberId, CancellationToken cancellationToken) => FinishAsync(memberId, leaveToAnnouncer: false, cancellationToken);

    /// <summary>
    /// For <see cref="StaleAnnouncementsJob"/>: as <see cref="FinishPendingAsync"/>, except that an announcement nothing
    /// has tried to deliver yet and younger than <see cref="DeliveryOptions.AnnouncerGrace"/> is left to the instance
    /// that announced it. The member can be on the retry index for an earlier version's failure while its announcer
    /// pushes the new version; finishing it then would push every device twice. It goes back on the index for when
    /// the grace is over, in case that instance died.
    /// </summary>
    public Task<bool> FinishStaleAsync(string memberId, CancellationToken cancellationToken) => FinishAsync(memberId, leaveToAnnouncer: true, cancellationToken);

    private async Task<bool> FinishAsync(string memberId, bool leaveToAnnouncer, CancellationToken cancellationToken)
    {
        var announcement = await announcements.GetAsync(memberId, cancellationToken);
        if (announcement is null || announcement.IsCleared)
        {
            return true;
        }

        if (leaveToAnnouncer && await LeftToAnnouncerAsync(memberId, announcement, cancellationToken))
        {
            return false;
        }

        var member = await members.GetAsync(memberId, cancellationToken);
        return member is null || await DeliverAsync(member, announcement, cancellationToken);
    }

    /// <summary>
    /// For an event delivered again: finishes the member's pending announcement, unless nothing has tried to deliver it
    /// yet and it is younger than <see cref="DeliveryOptions.AnnouncerGrace"/>. Then the copy that announced it is most
    /// likely delivering it right now (the same event sent twice, handled by two instances at once), and pushing too
    /// would announce the version twice to every device; the member goes on the retry index for when the grace is over,
    /// in case that instance died.
    /// </summary>
    public async Task FinishPendingOfRedeliveredAsync(string memberId, CancellationToken cancellationToken)
    {
        var announcement = await announcements.GetAsync(memberId, cancellationToken);
        if (announcement is null || announcement.IsCleared)
        {
            return;
        }

        if (await LeftToAnnouncerAsync(memberId, announcement, cancellationToken))
        {
            return;
        }

        if (await members.GetAsync(memberId, cancellationToken) is { } member)
        {
            await DeliverAsync(member, announcement, cancellationToken);
        }
    }

    /// <summary>
    /// True (and the member on the retry index for when the grace is over) when nothing has tried to deliver the
    /// announcement yet and it is younger than <see cref="DeliveryOptions.AnnouncerGrace"/>: its announcer is on it.
    /// </summary>
    private async Task<bool> LeftToAnnouncerAsync(string memberId, PassAnnouncementEntity announcement, CancellationToken cancellationToken)
    {
        var graceOver = announcement.AnnouncedAt + options.Value.AnnouncerGrace;
        if (announcement.FailedAttempts > 0 || announcement.RecordsJson is not null || time.GetUtcNow() >= graceOver)
        {
            return false;
        }

        await announcements.MarkDueAsync(memberId, graceOver, null, cancellationToken);
        return true;
    }

    /// <summary>
    /// Delivers <paramref name="announcement"/> (the member's current version) to the platforms it names as pending.
    /// True when nothing is left pending (or a newer version took over, whose delivery carries on); false when the
    /// member is on the retry index for what is.
    /// </summary>
    public async Task<bool> DeliverAsync(Member member, PassAnnouncementEntity announcement, CancellationToken cancellationToken)
    {
        if (announcement.IsCleared)
        {
            return true;
        }

        // The policy's decision for the version goes on the timeline once, in the first attempt's save (the transaction
        // below): a retry does not write it again, and it never costs a flush request of its own.
        var read = announcement.Copy();
        var firstAttempt = announcement.FailedAttempts == 0 && announcement.RecordsJson is null;
        var decision = firstAttempt && member.Pass.Notification is { } notification
            ? trace.Row(member.MemberId, DeliveryTraceKinds.Notification, $"{member.Pass.Version}", version: member.Pass.Version, detail: notification)
            : null;

        var records = announcement.Records();
        var pending = _notifiers.Where(n => announcement.PendingPlatforms.Contains(n.Platform, StringComparer.Ordinal)).ToArray();
        // A retired program's versions are settled unannounced: its pass type answers devices as unknown, its Google
        // objects are no longer written, so pushing or writing could only fail, and be retried until the give-up. An
        // erasure's voided version still goes out: the member's personal data must leave Google's stored object.
        var retired = !member.Pass.Voided && await programs.IsRetiredMemberAsync(member.MemberId, cancellationToken);
        var results = await Task.WhenAll(pending.Select(async notifier =>
        {
            if (retired)
            {
                return new PlatformDelivery(true, records.GetValueOrDefault(notifier.Platform));
            }

            try
            {
                return await notifier.PassChangedAsync(member, records.GetValueOrDefault(notifier.Platform), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogNotifyFailed(logger, e, notifier.Platform, member.Pass.SerialNumber);
                return new PlatformDelivery(false, records.GetValueOrDefault(notifier.Platform), e.Message);
            }
        }));

        var stillPending = new List<IPassChangeNotifier>();
        for (var i = 0; i < pending.Length; i++)
        {
            if (results[i].Record is { } record)
            {
                records[pending[i].Platform] = record;
            }

            if (!results[i].Done)
            {
                stillPending.Add(pending[i]);
            }
        }

        // Platforms this instance does not know (configured elsewhere) stay pending for an instance that does.
        var unknown = announcement.PendingPlatforms.Where(p => !_notifiers.Any(n => n.Platform == p));
        announcement.Pending = string.Join(' ', stillPending.Select(n => n.Platform).Concat(unknown));
        announcement.SetRecords(records);
        if (stillPending.Count > 0)
        {
            announcement.FailedAttempts++;
        }

        // The pushes' trace rows ride along: same partition, same transaction (99: Table Storage's limit is 100 operations).
        // If the save does not happen, the pushes did all the same: their rows go back for the next flush.
        var rows = trace.TakeFor(member.MemberId, decision is null ? 99 : 98);
        rows = decision is null ? rows : [.. rows, decision];
        var saved = false;
        try
        {
            saved = await announcements.SaveAsync(announcement, rows, cancellationToken);
        }
        finally
        {
            if (!saved)
            {
                trace.PutBack(rows);
            }
        }

        var error = string.Join("; ", results.Where(r => !r.Done && r.Error is not null).Select(r => r.Error));
        error = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        if (!saved)
        {
            var settled = pending.Where((_, i) => results[i].Done).Select(n => n.Platform).ToArray();
            switch (await SaveMergedAsync(member, read, announcement, settled, cancellationToken))
            {
                case null:
                    return true; // a newer version replaced this one (its own delivery covers every platform), or it was settled
                case { Saved: false }:
                    return await SaveLostAsync(member, announcement, stillPending, error, cancellationToken);
                case { Row: var merged } when stillPending.Count == 0 && !merged.IsCleared:
                    // Settled here, pending again for a device that registered meanwhile: the retry job pushes it now.
                    await announcements.MarkDueAsync(member.MemberId, time.GetUtcNow(), null, cancellationToken);
                    return false;
                case { Row: var merged }:
                    announcement = merged;
                    break;
            }
        }

        if (stillPending.Count == 0)
        {
            return announcement.IsCleared;
        }

        var delay = stillPending.Min(n => RetryDelay(n, announcement.FailedAttempts));
        await announcements.MarkDueAsync(member.MemberId, time.GetUtcNow() + delay, error, cancellationToken);
        LogStillPending(logger, member.Pass.SerialNumber, member.Pass.Version, announcement.Pending, delay);
        return false;
    }

    /// <summary>
    /// The save of this attempt found the row changed: merges the attempt's outcomes into the row as it is now
    /// (<see cref="LostSaveMerge"/>) and saves that, reading again when it changed once more. Null when a newer version
    /// (or a row someone settled) took over; not saved when every merge lost its race too.
    /// </summary>
    private async Task<(bool Saved, PassAnnouncementEntity Row)?> SaveMergedAsync(
        Member member, PassAnnouncementEntity read, PassAnnouncementEntity attempted, IReadOnlyCollection<string> settled, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxMergeAttempts; attempt++)
        {
            var current = await announcements.GetAsync(member.MemberId, cancellationToken);
            if (current is null || LostSaveMerge.Merge(read, attempted, settled, current) is not { } merged)
            {
                return null;
            }

            if (await announcements.SaveAsync(merged, [], cancellationToken))
            {
                LogMerged(logger, member.Pass.SerialNumber, member.Pass.Version, merged.Pending);
                return (true, merged);
            }

            await ConflictRetry.BackOffAsync(attempt, cancellationToken);
        }

        return (false, attempted);
    }

    /// <summary>
    /// Every merge of this attempt lost its race: what it did is not recorded, so the member stays due, retried after
    /// the still-pending platforms' back-off (at once if none was left), and false, so the retry job keeps the member
    /// on its index.
    /// </summary>
    private async Task<bool> SaveLostAsync(Member member, PassAnnouncementEntity announcement, List<IPassChangeNotifier> stillPending, string error, CancellationToken cancellationToken)
    {
        var delay = stillPending.Count == 0 ? TimeSpan.Zero : stillPending.Min(n => RetryDelay(n, announcement.FailedAttempts));
        await announcements.MarkDueAsync(member.MemberId, time.GetUtcNow() + delay, error, cancellationToken);
        LogSaveLost(logger, member.Pass.SerialNumber, member.Pass.Version, announcement.Pending, delay);
        return false;
    }

    private static TimeSpan RetryDelay(IPassChangeNotifier notifier, int failedAttempts) =>
        TimeSpan.FromTicks(Math.Min(notifier.RetryInterval.Ticks * (1L << Math.Clamp(failedAttempts - 1, 0, 20)), notifier.MaxRetryDelay.Ticks));

    [LoggerMessage(LogLevel.Warning, "{Platform} could not be told of the new version of pass {SerialNumber}; it stays pending")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception, string platform, string serialNumber);

    [LoggerMessage(LogLevel.Information, "Version {Version} of pass {SerialNumber} is still pending for {Platforms}; retrying in {Delay}")]
    private static partial void LogStillPending(ILogger logger, string serialNumber, long version, string platforms, TimeSpan delay);

    [LoggerMessage(LogLevel.Information, "Version {Version} of pass {SerialNumber} was saved by another writer meanwhile; this delivery's pushes were merged in, pending: {Platforms}")]
    private static partial void LogMerged(ILogger logger, string serialNumber, long version, string platforms);

    [LoggerMessage(LogLevel.Information, "Version {Version} of pass {SerialNumber} was saved by other writers meanwhile and is still pending for {Platforms}; retrying in {Delay}")]
    private static partial void LogSaveLost(ILogger logger, string serialNumber, long version, string platforms, TimeSpan delay);
}
