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
/// Takes expired offers off the pass at their <c>expiresAt</c>. An iPhone asks for a new version only after a push
/// (Apple, "Adding a Web Service to Update Passes"), and pass.json has no expiry per field, so the service issues the
/// version itself: each run takes the members due (<see cref="OfferExpiries"/>), at most
/// <see cref="DeliveryOptions.OfferExpiryMaxPerRun"/> of them, and for each whose pass still shows
/// an expired offer writes a new version without it through the outbox, as an event would (member row and
/// announcement in one transaction under the row's ETag, so two instances make one version; then the platforms: APNs
/// pushes, the Google object, the delivery trace). The version alerts for nothing: an offer leaving is not news, and
/// pass.json then carries no <c>changeMessage</c> at all. A member erased, of a retired program, or whose offer was
/// withdrawn or published again with a later expiry meanwhile gets no version; the row is advanced to the next expiry
/// or removed.
/// </summary>
public sealed partial class OfferExpiryJob(
    OfferExpiries offerExpiries,
    StorageClients storage,
    PassIssuer issuer,
    Announcements announcements,
    PassChanges passChanges,
    ProgramRegistry programs,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<OfferExpiryJob> logger) : IPeriodicJob
{
    /// <summary>NCRONTAB (with seconds) for the Functions timer trigger: every minute, at second 45.</summary>
    public const string Schedule = "45 * * * * *";

    /// <summary>What the delivery trace says of the version's notification.</summary>
    public const string NotificationDescription = "offer expired: no alert";

    private const int MaxAttempts = 8;

    public string Name => "OfferExpiry";

    public TimeSpan StandaloneInterval => TimeSpan.FromMinutes(1);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var row in await offerExpiries.DueAsync(options.Value.OfferExpiryMaxPerRun, cancellationToken))
        {
            try
            {
                var next = await ExpireAsync(row.PartitionKey, cancellationToken);
                await offerExpiries.AdvanceAsync(row, next, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Storage failed: the row stays due and a later run takes the member up again.
                LogExpiryFailed(logger, e, row.PartitionKey);
            }
        }
    }

    /// <returns>When the member is due next: the earliest expiry still on the pass, or null.</returns>
    private async Task<DateTimeOffset?> ExpireAsync(string memberId, CancellationToken cancellationToken)
    {
        DateTimeOffset? next = null;
        await ConflictRetry.RunAsync("An offer expiry", MaxAttempts, async _ =>
        {
            if (await programs.IsRetiredMemberAsync(memberId, cancellationToken))
            {
                next = null; // a retired program's passes no longer change
                return true;
            }

            var member = await storage.Members.GetIfExistsAsync<MemberEntity>(memberId, MemberEntity.RowKeyValue, cancellationToken);
            if (member is null || member.Deleted)
            {
                next = null; // erasure took the offers
                return true;
            }

            var now = time.GetUtcNow();
            var state = EventState.Parse(member.EventStateJson);
            var remaining = OfferExpiry.Expire(state, now);
            next = OfferExpiry.NextDue(remaining);
            if (OfferExpiry.ExpiredAt(state, now).Count == 0)
            {
                return true; // withdrawn, published again with a later expiry, or taken off by an event: nothing to change
            }

            member.Record(remaining);
            member.NewPassVersion(now, PassAlerts.None, NotificationDescription);
            member.Show(await issuer.ReissueBarcodeIfDueAsync(memberId, member.SerialNumber, member.BarcodeMessage, now, cancellationToken));
            await announcements.MarkAnnouncingAsync(memberId, cancellationToken);
            List<TableTransactionAction> actions = [new(TableTransactionActionType.UpdateReplace, member, member.ETag), announcements.Announce(member)];
            Response<IReadOnlyList<Response>>? committed = null;
            if (!await ConflictRetry.TryWriteAsync(async () => committed = await storage.Members.SubmitTransactionAsync(actions, cancellationToken), StorageConflict.ETagMismatch))
            {
                return false; // changed meanwhile (maybe expired by another instance): read again
            }

            await passChanges.DeliverAsync(member.ToMember(), Announcements.Submitted(actions[^1], committed!, actions.Count - 1), cancellationToken);
            return true;
        });
        return next;
    }

    [LoggerMessage(LogLevel.Warning, "Taking the expired offers off the pass of member {MemberId} failed; trying again later")]
    private static partial void LogExpiryFailed(ILogger logger, Exception exception, string memberId);
}
