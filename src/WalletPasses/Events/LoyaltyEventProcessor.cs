using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Barcodes;
using WalletPasses.Delivery;
using WalletPasses.Members;
using WalletPasses.Staff;
using WalletPasses.Storage;
using WalletPasses.Telemetry;

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
    public const string RowKeyPrefix = TableRows.Members.EventPrefix;

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
    StorageClients storage, PassChanges passChanges, Announcements announcements, PassIssuer issuer, IOptions<NotificationOptions> notifications, TimeProvider time, WalletPassesTelemetry telemetry)
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
                outcome = EventOutcome.UnknownMember;
                return true;
            }

            var now = time.GetUtcNow();
            var applied = EventApplication.Apply(member.ToMember().Profile, EventState.Parse(member.EventStateJson), loyaltyEvent, now, notifications.Value.MaxPerDay);
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
            member.Record(applied.State);
            if (applied.PassChanged)
            {
                member.NewPassVersion(now, applied.Silent);
                member.Show(await issuer.ReissueBarcodeIfDueAsync(member.SerialNumber, member.BarcodeMessage, now, cancellationToken));
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
                    // Another instance changed the member: back off a little (jittered) and recompute from the new state.
                    await Task.Delay(Random.Shared.Next(1, 10 * (attempt + 1)), cancellationToken);
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
                telemetry.Notified(applied.Silent);
                await passChanges.DeliverAsync(member.ToMember(), Announcements.Submitted(actions[^1], committed!, actions.Count - 1), cancellationToken);
                outcome = EventOutcome.Applied;
            }

            return true;
        });
        return outcome;
    }
}
