using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Barcodes;
using WalletPasses.Delivery;
using WalletPasses.Members;
using WalletPasses.Staff;
using WalletPasses.Storage;

namespace WalletPasses.Events;

public enum EventOutcome
{
    /// <summary>The pass changed; its announcement was delivered (or is pending a retry).</summary>
    Applied,

    /// <summary>Recorded, but newer events had already set everything it carries (or nothing changed).</summary>
    Unchanged,

    /// <summary>This eventId took effect before (whatever of its announcement was still pending is finished now).</summary>
    Duplicate,

    /// <summary>No such member (or erased): the event cannot apply.</summary>
    UnknownMember,
}

public sealed class NotificationOptions
{
    public const string Section = "WalletPasses:Notifications";

    /// <summary>Lock-screen alerts per pass per 24 hours; beyond it updates are silent (Google allows 3).</summary>
    public int MaxPerDay { get; set; } = 3;
}

/// <summary>
/// Row <c>event|{eventId}</c> in the member's partition: the record that an event took effect, written in
/// the same entity group transaction as the member row, so an event applies exactly once.
/// </summary>
public sealed class AppliedEventEntity : ITableEntity
{
    public const string RowKeyPrefix = "event|";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public long Sequence { get; set; }

    public string Type { get; set; } = "";

    public DateTimeOffset ProcessedAt { get; set; }
}

/// <summary>The one code path that applies a loyalty event, whichever trigger delivered it.</summary>
public sealed class LoyaltyEventProcessor(
    StorageClients storage, PassChanges passChanges, Announcements announcements, PassBarcodes barcodes, IOptions<NotificationOptions> notifications, TimeProvider time)
{
    private const int MaxAttempts = 20;

    // Events for one member are applied one at a time in this instance (ETags still guard across instances).
    private static readonly MemberLocks MemberLocks = new();

    public async Task<EventOutcome> ProcessAsync(LoyaltyEvent loyaltyEvent, CancellationToken cancellationToken)
    {
        using (await MemberLocks.EnterAsync(loyaltyEvent.MemberId, cancellationToken))
        {
            return await ApplyAsync(loyaltyEvent, cancellationToken);
        }
    }

    private async Task<EventOutcome> ApplyAsync(LoyaltyEvent loyaltyEvent, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var response = await storage.Members.GetEntityIfExistsAsync<MemberEntity>(loyaltyEvent.MemberId, MemberEntity.RowKeyValue, cancellationToken: cancellationToken);
            if (!response.HasValue || response.Value!.Deleted)
            {
                return EventOutcome.UnknownMember;
            }

            var member = response.Value;
            var now = time.GetUtcNow();
            var applied = EventApplication.Apply(member.ToMember().Profile, EventState.Parse(member.EventStateJson), loyaltyEvent, now, notifications.Value.MaxPerDay);
            var marker = new AppliedEventEntity
            {
                PartitionKey = member.PartitionKey,
                RowKey = AppliedEventEntity.RowKeyPrefix + loyaltyEvent.EventId,
                Sequence = loyaltyEvent.Sequence,
                Type = loyaltyEvent.Type,
                ProcessedAt = now,
            };

            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, marker) };
            member.Apply(applied.Profile);
            member.EventStateJson = applied.State.ToJson();
            if (applied.PassChanged)
            {
                member.NewPassVersion(now, applied.Silent);
                member.Show(await barcodes.ReissueIfDueAsync(member.SerialNumber, member.BarcodeMessage, now, cancellationToken));
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

            Response<IReadOnlyList<Response>> committed;
            try
            {
                committed = await storage.Members.SubmitTransactionAsync(actions, cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 409 || e.ErrorCode == "EntityAlreadyExists")
            {
                // Delivered again, maybe because the process died before the platforms heard of the version.
                await passChanges.FinishPendingOfRedeliveredAsync(loyaltyEvent.MemberId, cancellationToken);
                return EventOutcome.Duplicate;
            }
            catch (TableTransactionFailedException e) when (e.Status == 412 || e.ErrorCode == "UpdateConditionNotSatisfied")
            {
                // Another instance changed the member: back off a little (jittered) and recompute from the new state.
                await Task.Delay(Random.Shared.Next(1, 10 * (attempt + 1)), cancellationToken);
                continue;
            }

            if (!applied.PassChanged)
            {
                return EventOutcome.Unchanged;
            }

            await passChanges.DeliverAsync(member.ToMember(), Announcements.Submitted(actions[^1], committed, actions.Count - 1), cancellationToken);
            return EventOutcome.Applied;
        }

        throw new InvalidOperationException($"Event {loyaltyEvent.EventId} lost {MaxAttempts} concurrency races in a row.");
    }
}
