using Azure.Data.Tables;
using WalletPasses.Delivery;
using WalletPasses.Events;
using WalletPasses.Google;
using WalletPasses.Members;
using WalletPasses.Notifications;
using WalletPasses.Popups;
using WalletPasses.Storage;
using WalletPasses.Telemetry;

namespace WalletPasses.Publishing;

/// <summary>
/// Gives one member a pass version of the new template version, through the outbox: the member row (new version,
/// its template version) and the announcement commit in one entity group transaction under the row's ETag, then
/// the announcement is delivered. Idempotent: a member whose pass is of this template version already only has
/// what is still pending delivered, so a chunk redone after a crash pushes no device twice. The version alerts
/// (keeps its changeMessages) only when a field with a changeMessage shows a new value and the member's passes are
/// within the daily alert limit; otherwise it is silent. Google hears of it only when object-level fields change.
/// </summary>
public sealed class MemberReissue(
    StorageClients storage,
    Announcements announcements,
    PassChanges passChanges,
    PassVersionAlerts alerts,
    TimeProvider time,
    WalletPassesTelemetry telemetry)
{
    private const int MaxAttempts = 8;

    /// <summary>Re-issues the member and delivers the version: <see cref="CommitAsync"/> then <see cref="DeliverAsync"/>.</summary>
    public async Task<ReissueOutcome> ReissueAsync(MemberEntity member, TemplateComparison comparison, CancellationToken cancellationToken) =>
        await DeliverAsync(await CommitAsync(member, comparison, cancellationToken), cancellationToken);

    /// <summary>
    /// The member's new version and its announcement, committed (nothing delivered yet); for a member re-issued
    /// already, its announcement as it stands. A bulk job commits a chunk, then reads the chunk's device registrations
    /// at once (after the commits, so a device registered before its member's commit is pushed), then delivers.
    /// </summary>
    public async Task<CommittedReissue> CommitAsync(MemberEntity member, TemplateComparison comparison, CancellationToken cancellationToken)
    {
        var templateVersion = comparison.After.Number;
        CommittedReissue? committed = null;
        await ConflictRetry.RunAsync($"Re-issue of member {member.PartitionKey}", MaxAttempts, async attempt =>
        {
            if (attempt > 0)
            {
                member = await storage.Members.GetIfExistsAsync<MemberEntity>(member.PartitionKey, MemberEntity.RowKeyValue, cancellationToken) ?? new MemberEntity { Deleted = true };
            }

            if (member.Deleted)
            {
                committed = new CommittedReissue(member, null, false, false); // a voided pass keeps its last look
                return true;
            }

            if (member.TemplateVersion >= templateVersion)
            {
                committed = await EarlierAsync(member, cancellationToken);
                return true;
            }

            var difference = comparison.Of(member.ToMember());
            var now = time.GetUtcNow();
            var state = EventState.Parse(member.EventStateJson);
            var decision = difference.AlertFields.Count > 0 ? alerts.DecideTemplateChange(member, state, now) : null;
            if (decision?.Outcome == NotificationOutcome.Send)
            {
                member.Record(state.WithAlert(now));
            }

            member.NewPassVersion(now, decision?.Outcome == NotificationOutcome.Send ? PassAlerts.Legacy : PassAlerts.None, decision is null ? null : $"template: {decision}");
            member.TemplateVersion = templateVersion;
            committed = await SubmitAsync(member, comparison.GoogleEnabled && difference.ObjectFields.Count > 0, cancellationToken);
            if (committed is not null)
            {
                telemetry.Notified(decision?.Outcome != NotificationOutcome.Send);
            }

            return committed is not null; // null: an event changed the member meanwhile: start over from the new row
        });
        return committed!;
    }

    /// <summary>
    /// Brings one member's pass to a revision of the program's carried pop-ups: a new, silent version (a location
    /// appearing or going is no news to alert about; Wallet shows its relevantText near the place) only when what the
    /// pass shows of them changes (<see cref="MemberEntity.PopupFingerprint"/>), announced to every platform (the
    /// Google object's merchantLocations change too). Committed only, as <see cref="CommitAsync"/>; idempotent as it is.
    /// </summary>
    public async Task<CommittedReissue> CommitPopupsAsync(MemberEntity member, CarriedPopupSet carried, bool googleEnabled, CancellationToken cancellationToken)
    {
        CommittedReissue? committed = null;
        await ConflictRetry.RunAsync($"Pop-up re-issue of member {member.PartitionKey}", MaxAttempts, async attempt =>
        {
            if (attempt > 0)
            {
                member = await storage.Members.GetIfExistsAsync<MemberEntity>(member.PartitionKey, MemberEntity.RowKeyValue, cancellationToken) ?? new MemberEntity { Deleted = true };
            }

            if (member.Deleted)
            {
                committed = new CommittedReissue(member, null, false, false);
                return true;
            }

            if (member.PopupRevision >= carried.Revision)
            {
                committed = await EarlierAsync(member, cancellationToken);
                return true;
            }

            var fingerprint = PopupRules.Fingerprint(carried.For(member.Tier));
            if (fingerprint == (member.PopupFingerprint ?? ""))
            {
                committed = new CommittedReissue(member, null, false, false); // this member's pass shows the same pop-ups
                return true;
            }

            member.NewPassVersion(time.GetUtcNow(), PassAlerts.None, $"pop-ups: revision {carried.Revision}, silent");
            member.PopupRevision = carried.Revision;
            member.PopupFingerprint = fingerprint;
            committed = await SubmitAsync(member, googleEnabled, cancellationToken);
            return committed is not null;
        });
        return committed!;
    }

    /// <summary>The member row and the announcement in one transaction under the row's ETag; null when the row changed meanwhile.</summary>
    private async Task<CommittedReissue?> SubmitAsync(MemberEntity member, bool google, CancellationToken cancellationToken)
    {
        var announce = announcements.Announce(member, google ? [] : [GooglePassNotifier.PlatformName]);
        TableTransactionAction[] actions = [new(TableTransactionActionType.UpdateReplace, member, member.ETag), announce];
        Azure.Response<IReadOnlyList<Azure.Response>>? submitted = null;
        if (!await ConflictRetry.TryWriteAsync(async () => submitted = await storage.Members.SubmitTransactionAsync(actions, cancellationToken), StorageConflict.ETagMismatch))
        {
            return null;
        }

        return new CommittedReissue(member, Announcements.Submitted(announce, submitted!, 1), true, google);
    }

    /// <summary>A member re-issued by an earlier (crashed) attempt: what is still pending is delivered, what was pushed counted.</summary>
    private async Task<CommittedReissue> EarlierAsync(MemberEntity member, CancellationToken cancellationToken)
    {
        var earlier = await announcements.GetAsync(member.PartitionKey, cancellationToken);
        return new CommittedReissue(member, earlier?.Version == member.PassVersion ? earlier : null, false, false);
    }

    /// <summary>Delivers what <see cref="CommitAsync"/> left pending and counts the devices pushed for the version.</summary>
    public async Task<ReissueOutcome> DeliverAsync(CommittedReissue committed, CancellationToken cancellationToken)
    {
        if (committed.Announcement is not { } announcement)
        {
            return new ReissueOutcome(false, 0, false, false);
        }

        var delivered = announcement.IsCleared || await passChanges.DeliverAsync(committed.Member.ToMember(), announcement, cancellationToken);
        return new ReissueOutcome(committed.Reissued, PushedDevices(announcement), !delivered, committed.GoogleAnnounced);
    }

    private static int PushedDevices(PassAnnouncementEntity announcement) =>
        announcement.Records().TryGetValue(ApplePushNotifier.PlatformName, out var record)
            ? DevicePushes.Parse(record).Devices.Values.Count(push => push.State == DevicePushStates.Pushed)
            : 0;
}
