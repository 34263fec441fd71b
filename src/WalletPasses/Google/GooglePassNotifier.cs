using Microsoft.Extensions.Options;
using WalletPasses.Delivery;
using WalletPasses.Members;

namespace WalletPasses.Google;

/// <summary>
/// Google's side of <see cref="PassChanges"/>: syncs the object within <see cref="GoogleWalletOptions.IssueTimeout"/>
/// (so a member's save link normally works as soon as the member is created); a slow or failing Google leaves
/// the version pending and retried after <see cref="GoogleWalletOptions.SyncRetryInterval"/>, doubling up to
/// <see cref="GoogleWalletOptions.MaxSyncRetryDelay"/>. Apple is told concurrently, never after Google.
/// </summary>
public sealed class GooglePassNotifier(
    GoogleSyncWorker worker, GoogleObjectSync objects, DeliveryTrace trace, IOptions<GoogleWalletOptions> options) : IPassChangeNotifier
{
    public const string PlatformName = "google";

    public string Platform => PlatformName;

    public TimeSpan RetryInterval => options.Value.SyncRetryInterval;

    public TimeSpan MaxRetryDelay => options.Value.MaxSyncRetryDelay;

    public async Task<PlatformDelivery> PassChangedAsync(Member member, string? record, CancellationToken cancellationToken)
    {
        var (synced, error) = await worker.TrySyncWithinAsync(member.MemberId, options.Value.IssueTimeout, cancellationToken);
        if (synced && await objects.GetStateAsync(member.MemberId, cancellationToken) is { } state)
        {
            trace.Record(member.MemberId, DeliveryTraceKinds.Google, $"{state.SyncedVersion}", version: state.SyncedVersion, detail: NotificationOutcome(member, state));
        }

        return new PlatformDelivery(synced, record, error);
    }

    /// <summary>Whether the sync that brought the object to its version asked Google to notify the holder.</summary>
    private static string NotificationOutcome(Member member, GoogleObjectEntity state) =>
        HeldAlertOutcome(state) is { } held ? held
        : state.NotificationsJson?.Contains(System.Text.Json.JsonSerializer.Serialize(state.SyncedAt), StringComparison.Ordinal) == true ? "notification sent"
        : member.Pass.Silent ? "silenced (" + (member.Pass.Notification ?? "an erasure") + ")"
        : "synced without notification (nothing that alerts changed, or a routine one over Google's quota)";

    /// <summary>For the delivery trace: the important alert Google refused for its quota and when it is sent; null when none is held.</summary>
    public static string? HeldAlertOutcome(GoogleObjectEntity state) =>
        state.HeldAlertUntil is { } until ? $"alert held back by Google's notification quota until {until.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}" : null;
}
