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

/// <summary>What re-issuing one member did.</summary>
/// <param name="Reissued">A new pass version was made now (false: the member had one of this template version already, or was erased).</param>
/// <param name="DevicesPushed">Devices APNs accepted the push of the member's version for (counted from the announcement's record).</param>
/// <param name="Pending">A platform has not heard of the version yet; the outbox's retry job finishes it.</param>
/// <param name="GoogleAnnounced">The version was announced to Google (object-level fields change).</param>
public sealed record ReissueOutcome(bool Reissued, int DevicesPushed, bool Pending, bool GoogleAnnounced);

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

    public async Task<ReissueOutcome> ReissueAsync(MemberEntity member, TemplateComparison comparison, CancellationToken cancellationToken)
    {
        var templateVersion = comparison.After.Number;
        ReissueOutcome? outcome = null;
        await ConflictRetry.RunAsync($"Re-issue of member {member.PartitionKey}", MaxAttempts, async attempt =>
        {
            if (attempt > 0)
            {
                member = await storage.Members.GetIfExistsAsync<MemberEntity>(member.PartitionKey, MemberEntity.RowKeyValue, cancellationToken) ?? new MemberEntity { Deleted = true };
            }

            if (member.Deleted)
            {
                outcome = new ReissueOutcome(false, 0, false, false); // a voided pass keeps its last look
                return true;
            }

            if (member.TemplateVersion >= templateVersion)
            {
                outcome = await FinishAsync(member, cancellationToken);
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
            outcome = await CommitAsync(member, comparison.GoogleEnabled && difference.ObjectFields.Count > 0, cancellationToken);
            if (outcome is not null)
            {
                telemetry.Notified(decision?.Outcome != NotificationOutcome.Send);
            }

            return outcome is not null; // null: an event changed the member meanwhile: start over from the new row
        });
        return outcome!;
    }

    /// <summary>
    /// Brings one member's pass to a revision of the program's carried pop-ups: a new, silent version (a location
    /// appearing or going is no news to alert about; Wallet shows its relevantText near the place) only when what the
    /// pass shows of them changes (<see cref="MemberEntity.PopupFingerprint"/>), announced to every platform (the
    /// Google object's merchantLocations change too). Idempotent as <see cref="ReissueAsync"/> is.
    /// </summary>
    public async Task<ReissueOutcome> ReissuePopupsAsync(MemberEntity member, CarriedPopupSet carried, bool googleEnabled, CancellationToken cancellationToken)
    {
        ReissueOutcome? outcome = null;
        await ConflictRetry.RunAsync($"Pop-up re-issue of member {member.PartitionKey}", MaxAttempts, async attempt =>
        {
            if (attempt > 0)
            {
                member = await storage.Members.GetIfExistsAsync<MemberEntity>(member.PartitionKey, MemberEntity.RowKeyValue, cancellationToken) ?? new MemberEntity { Deleted = true };
            }

            if (member.Deleted)
            {
                outcome = new ReissueOutcome(false, 0, false, false);
                return true;
            }

            if (member.PopupRevision >= carried.Revision)
            {
                outcome = await FinishAsync(member, cancellationToken);
                return true;
            }

            var fingerprint = PopupRules.Fingerprint(carried.For(member.Tier));
            if (fingerprint == (member.PopupFingerprint ?? ""))
            {
                outcome = new ReissueOutcome(false, 0, false, false); // this member's pass shows the same pop-ups
                return true;
            }

            member.NewPassVersion(time.GetUtcNow(), PassAlerts.None, $"pop-ups: revision {carried.Revision}, silent");
            member.PopupRevision = carried.Revision;
            member.PopupFingerprint = fingerprint;
            outcome = await CommitAsync(member, googleEnabled, cancellationToken);
            return outcome is not null;
        });
        return outcome!;
    }

    /// <summary>The member row and the announcement in one transaction under the row's ETag, then delivery; null when the row changed meanwhile.</summary>
    private async Task<ReissueOutcome?> CommitAsync(MemberEntity member, bool google, CancellationToken cancellationToken)
    {
        var announce = announcements.Announce(member, google ? [] : [GooglePassNotifier.PlatformName]);
        TableTransactionAction[] actions = [new(TableTransactionActionType.UpdateReplace, member, member.ETag), announce];
        Azure.Response<IReadOnlyList<Azure.Response>>? committed = null;
        if (!await ConflictRetry.TryWriteAsync(async () => committed = await storage.Members.SubmitTransactionAsync(actions, cancellationToken), StorageConflict.ETagMismatch))
        {
            return null;
        }

        var announcement = Announcements.Submitted(announce, committed!, 1);
        var delivered = await passChanges.DeliverAsync(member.ToMember(), announcement, cancellationToken);
        return new ReissueOutcome(true, PushedDevices(announcement), !delivered, google);
    }

    /// <summary>A member re-issued by an earlier (crashed) attempt: deliver what is still pending, count what was pushed.</summary>
    private async Task<ReissueOutcome> FinishAsync(MemberEntity member, CancellationToken cancellationToken)
    {
        var announcement = await announcements.GetAsync(member.PartitionKey, cancellationToken);
        if (announcement is null || announcement.Version != member.PassVersion)
        {
            return new ReissueOutcome(false, 0, false, false);
        }

        var delivered = announcement.IsCleared || await passChanges.DeliverAsync(member.ToMember(), announcement, cancellationToken);
        return new ReissueOutcome(false, PushedDevices(announcement), !delivered, false);
    }

    private static int PushedDevices(PassAnnouncementEntity announcement) =>
        announcement.Records().TryGetValue(ApplePushNotifier.PlatformName, out var record)
            ? DevicePushes.Parse(record).Devices.Values.Count(push => push.State == DevicePushStates.Pushed)
            : 0;
}
