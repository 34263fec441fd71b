using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Apple;
using WalletPasses.Barcodes;
using WalletPasses.Delivery;
using WalletPasses.Members;
using WalletPasses.Notifications;
using WalletPasses.Staff;
using WalletPasses.Storage;
using WalletPasses.Telemetry;

namespace WalletPasses.Events;

/// <summary>The one code path that applies a loyalty event, whichever trigger delivered it.</summary>
public sealed class LoyaltyEventProcessor(
    StorageClients storage, PassChanges passChanges, Announcements announcements, PassIssuer issuer, PassVersionAlerts alerts, OfferExpiries offerExpiries, TimeProvider time, WalletPassesTelemetry telemetry)
{
    private const int MaxAttempts = 20;

    // Events for one member are applied one at a time in this instance (ETags still guard across instances). Per
    // instance, not per process: two app instances hosted in one process (as tests do) must not wait on each other.
    private readonly MemberLocks _memberLocks = new();

    public async Task<EventOutcome> ProcessAsync(LoyaltyEvent loyaltyEvent, CancellationToken cancellationToken)
    {
        using (await _memberLocks.EnterAsync(loyaltyEvent.MemberId, cancellationToken))
        {
            return await ApplyAsync(loyaltyEvent, cancellationToken);
        }
    }

    private async Task<EventOutcome> ApplyAsync(LoyaltyEvent loyaltyEvent, CancellationToken cancellationToken)
    {
        var outcome = EventOutcome.Unchanged;
        await ConflictRetry.RunAsync($"Event {loyaltyEvent.EventId}", MaxAttempts, async attempt =>
        {
            var member = await storage.Members.GetIfExistsAsync<MemberEntity>(loyaltyEvent.MemberId, MemberEntity.RowKeyValue, cancellationToken);
            if (member is null || member.Deleted)
            {
                outcome = member is null ? EventOutcome.UnknownMember : EventOutcome.ErasedMember;
                return true;
            }

            var now = time.GetUtcNow();
            var before = member.ToMember();
            var stored = EventState.Parse(member.EventStateJson);
            var applied = EventApplication.Apply(before.Profile, stored, loyaltyEvent, now, before.Notifications);
            var marker = new AppliedEventEntity
            {
                PartitionKey = member.PartitionKey,
                RowKey = TableRows.Members.Event(loyaltyEvent.EventId),
                Sequence = loyaltyEvent.Sequence,
                Type = loyaltyEvent.Type,
                ProcessedAt = now,
            };

            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, marker) };
            member.Apply(applied.Profile);
            member.Apply(applied.Settings);
            var state = await alerts.SettingsChangedAsync(member, before.Notifications, applied.State, now, cancellationToken);
            var recorded = applied.PassChanged ? await alerts.NewVersionAsync(member, before.Profile.Tier, applied.Changes, state, now, cancellationToken) : state;
            member.Record(recorded);
            // A published offer always marks the row: a member whose offers were published before the index existed
            // gets it when the backend publishes one again (README, Upgrading).
            if (OfferExpiry.NextDue(recorded) is { } due && (due != OfferExpiry.NextDue(stored) || loyaltyEvent.Type == LoyaltyEventTypes.OfferPublished))
            {
                // Before the member row, as OfferExpiries says: a crash in between leaves a row due early, never none.
                await offerExpiries.MarkDueByAsync(member.PartitionKey, due, cancellationToken);
            }
            if (applied.PassChanged)
            {
                member.Show(await issuer.ReissueBarcodeIfDueAsync(member.PartitionKey, member.SerialNumber, member.BarcodeMessage, now, cancellationToken));
            }

            // An event naming a staff points request ends its hold, in the same transaction as the new balance
            // (a replace under the holds row's ETag: a concurrent request makes this attempt start over).
            if (loyaltyEvent.RedemptionId is { } redemptionId
                && await PointsHoldsEntity.ReadAsync(storage.Members, member.PartitionKey, cancellationToken) is { } holds
                && holds.ReadHolds().Any(h => h.RedemptionId == redemptionId))
            {
                holds.WriteHolds(PointsHolds.Without(holds.ReadHolds(), redemptionId, now));
                actions.Add(holds.WriteAction());
            }

            // The member row is written even when the pass is unchanged: sequences moved, and its ETag
            // guards against a concurrent event changing the state this outcome was computed from.
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, member, member.ETag));
            if (applied.PassChanged)
            {
                // The outbox: the new version and what every platform still has to hear commit together.
                actions.Add(announcements.Announce(member));
            }

            Response<IReadOnlyList<Response>>? committed = null;
            try
            {
                if (!await ConflictRetry.TryWriteAsync(async () => committed = await storage.Members.SubmitTransactionAsync(actions, cancellationToken), StorageConflict.ETagMismatch))
                {
                    // Another instance changed the member: back off a little and recompute from the new state.
                    await ConflictRetry.BackOffAsync(attempt, cancellationToken);
                    return false;
                }
            }
            catch (TableTransactionFailedException e) when (ConflictRetry.Is(e, StorageConflict.AlreadyExists))
            {
                // Delivered again, maybe because the process died before the platforms heard of the version.
                await passChanges.FinishPendingOfRedeliveredAsync(loyaltyEvent.MemberId, cancellationToken);
                outcome = EventOutcome.Duplicate;
                return true;
            }

            if (applied.PassChanged)
            {
                telemetry.Notified(member.PassSilent);
                using (DeviceRegistrations.UseMemberRow(member.PartitionKey, member.DevicesJson)) // whom to push, without a query
                {
                    await passChanges.DeliverAsync(member.ToMember(), Announcements.Submitted(actions[^1], committed!, actions.Count - 1), cancellationToken);
                }
                outcome = EventOutcome.Applied;
            }

            return true;
        });
        return outcome;
    }
}
