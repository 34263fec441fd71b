using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Jobs;
using WalletPasses.Members;
using WalletPasses.Notifications;
using WalletPasses.Programs;
using WalletPasses.Storage;

namespace WalletPasses.Delivery;

/// <summary>
/// Sends the important alerts that fell in a member's quiet hours once they are over. Each run takes the due members
/// (<see cref="DeferredAlertDueEntity"/>), decides each alert again (the preference or the budget may have changed),
/// and sends it as a new pass version through the outbox: the member row (its deferred alert cleared) and the
/// announcement commit together under the row's ETag, so two instances running the job at once send it once.
/// A platform's row (<see cref="IHeldPlatformAlerts"/>: an alert Google refused for its quota) goes to that platform.
/// </summary>
public sealed partial class DeferredAlertsJob(
    DeferredAlerts deferredAlerts,
    StorageClients storage,
    PassVersionAlerts alerts,
    Announcements announcements,
    PassChanges passChanges,
    DeliveryTrace trace,
    ProgramRegistry programs,
    IEnumerable<IHeldPlatformAlerts> heldAlerts,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<DeferredAlertsJob> logger) : IPeriodicJob
{
    /// <summary>NCRONTAB (with seconds) for the Functions timer trigger: every minute, at second 15.</summary>
    public const string Schedule = "15 * * * * *";

    private const int MaxAttempts = 8;

    public string Name => "DeferredAlerts";

    public TimeSpan StandaloneInterval => TimeSpan.FromMinutes(1);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var row in await deferredAlerts.DueAsync(options.Value.MaxPerRun, cancellationToken))
        {
            try
            {
                if (row.RowKey.Length > 0)
                {
                    // A platform's held-back alert: a platform no longer configured has nothing to send.
                    if (heldAlerts.FirstOrDefault(platform => platform.DueRowKey == row.RowKey) is { } platform
                        && !await platform.SendDueAsync(row.PartitionKey, cancellationToken))
                    {
                        continue; // the platform failed: the row stays due for the next run
                    }
                }
                else
                {
                    await SendAsync(row.PartitionKey, cancellationToken);
                }

                await deferredAlerts.RemoveAsync(row, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Storage failed: the row stays due and a later run takes the member up again.
                LogSendFailed(logger, e, row.PartitionKey);
            }
        }
    }

    private Task SendAsync(string memberId, CancellationToken cancellationToken) =>
        ConflictRetry.RunAsync("A deferred alert", MaxAttempts, async _ =>
        {
            if (await programs.IsRetiredMemberAsync(memberId, cancellationToken))
            {
                return true; // a retired program's passes no longer change: its held-back alert goes with it
            }

            var member = await storage.Members.GetIfExistsAsync<MemberEntity>(memberId, MemberEntity.RowKeyValue, cancellationToken);
            var state = EventState.Parse(member?.EventStateJson);
            var now = time.GetUtcNow();
            if (member is null || member.Deleted || state.Deferred is not { } deferred)
            {
                return true; // sent by another instance, superseded by a newer tier change, or erased
            }

            if (deferred.Until > now)
            {
                await deferredAlerts.MarkDueAsync(memberId, deferred.Until, cancellationToken);
                return true;
            }

            // A member erased and back (the event state survives) or whose tier changed since: nothing left to announce.
            var stale = member.Tier != deferred.Tier;
            var decision = alerts.DecideDeferred(member, state, now);
            state = state with { Deferred = !stale && decision.Until is { } until ? deferred with { Until = until } : null };
            var description = VersionNotification.Name(PassAlerts.Announcement) + ": " + decision;
            var send = !stale && decision.Outcome == NotificationOutcome.Send;
            if (state.Deferred is { } again)
            {
                await deferredAlerts.MarkDueAsync(memberId, again.Until, cancellationToken); // quiet hours moved meanwhile
            }

            if (send)
            {
                member.Announcement = deferred.Tier;
                member.NewPassVersion(now, PassAlerts.Announcement, description);
                await announcements.MarkAnnouncingAsync(memberId, cancellationToken);
            }
            else if (!stale)
            {
                trace.Record(memberId, DeliveryTraceKinds.Notification, "deferred|" + member.PassVersion, version: member.PassVersion, detail: description);
            }

            member.Record(send ? state.WithAlert(now) : state);
            List<TableTransactionAction> actions = [new(TableTransactionActionType.UpdateReplace, member, member.ETag)];
            if (send)
            {
                actions.Add(announcements.Announce(member));
            }

            Response<IReadOnlyList<Response>>? committed = null;
            if (!await ConflictRetry.TryWriteAsync(async () => committed = await storage.Members.SubmitTransactionAsync(actions, cancellationToken), StorageConflict.ETagMismatch))
            {
                return false; // changed meanwhile (maybe sent by another instance): read again
            }

            if (send)
            {
                await passChanges.DeliverAsync(member.ToMember(), Announcements.Submitted(actions[^1], committed!, actions.Count - 1), cancellationToken);
            }

            return true;
        });

    [LoggerMessage(LogLevel.Warning, "Sending the deferred alert of member {MemberId} failed; trying again later")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string memberId);
}
