using Microsoft.Extensions.Options;
using WalletPasses.Storage;

namespace WalletPasses.Events;

/// <summary>
/// Deletes loyalty-events messages set aside as blobs (<see cref="RejectedLoyaltyEvents"/>) once they are older than
/// <see cref="RetentionOptions.RejectedEvents"/>: their raw bytes may carry a member's name or email, and erasure cannot
/// read them to find whose they are. One listing of the container a run (it holds only that period's rejects), at most
/// <see cref="RetentionOptions.MaxDeletesPerRun"/> deletions; the rest go with the next run.
/// </summary>
public sealed partial class RejectedLoyaltyEventsSweep(
    StorageClients storage,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RejectedLoyaltyEventsSweep> logger) : IRetentionSweep
{
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var setAsideBefore = time.GetUtcNow() - options.Value.RejectedEvents;
        var deleted = 0;
        await foreach (var blob in storage.RejectedLoyaltyEvents.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            if (blob.Properties.CreatedOn is { } created && created < setAsideBefore)
            {
                // Gone already (another instance sweeping): nothing to do.
                await storage.RejectedLoyaltyEvents.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
                if (++deleted >= options.Value.MaxDeletesPerRun)
                {
                    break;
                }
            }
        }

        LogDeleted(logger, deleted);
    }

    [LoggerMessage(LogLevel.Information, "Retention sweep deleted {Blobs} set-aside loyalty-events messages")]
    private static partial void LogDeleted(ILogger logger, int blobs);
}
