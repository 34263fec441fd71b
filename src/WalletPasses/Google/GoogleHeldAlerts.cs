using Microsoft.Extensions.Options;
using WalletPasses.Delivery;
using WalletPasses.Members;

namespace WalletPasses.Google;

/// <summary>
/// Sends an important alert Google refused for its notification quota once it falls due
/// (<see cref="GoogleObjectEntity.HeldAlertUntil"/>): a sync of the member's object, which replaces the silent message
/// with a notifying copy, or holds it again when the quota, quiet hours or the member's preference say so.
/// </summary>
public sealed class GoogleHeldAlerts(
    GoogleSyncWorker worker, GoogleObjectSync objects, DeliveryTrace trace, IOptions<GoogleWalletOptions> options) : IHeldPlatformAlerts
{
    public const string RowKey = GooglePassNotifier.PlatformName;

    public string DueRowKey => RowKey;

    public async Task<bool> SendDueAsync(string memberId, CancellationToken cancellationToken)
    {
        if (await objects.GetStateAsync(memberId, cancellationToken) is not { HeldAlertUntil: not null })
        {
            return true; // sent by another instance, or dropped by a newer tier change
        }

        var (synced, _) = await worker.TrySyncWithinAsync(memberId, options.Value.IssueTimeout, cancellationToken);
        if (synced && await objects.GetStateAsync(memberId, cancellationToken) is { } state)
        {
            trace.Record(memberId, DeliveryTraceKinds.Google, $"{state.SyncedVersion}|held", version: state.SyncedVersion, detail: GooglePassNotifier.HeldAlertOutcome(state) ?? "held-back alert sent or dropped");
        }

        return synced;
    }
}
