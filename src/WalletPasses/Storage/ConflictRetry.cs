using Azure;

namespace WalletPasses.Storage;

/// <summary>
/// Optimistic concurrency, one way: an attempt reads, decides and writes under the ETag it read (or inserts),
/// and a write that loses to a concurrent writer makes the attempt start over from a fresh read. Each caller
/// names which refusals count as losing (<see cref="StorageConflict"/>); any other failure propagates.
/// </summary>
public static class ConflictRetry
{
    /// <summary>Runs <paramref name="attempt"/> (given its 0-based number) until it returns true; throws when all <paramref name="maxAttempts"/> lost.</summary>
    public static async Task RunAsync(string what, int maxAttempts, Func<int, Task<bool>> attempt)
    {
        if (!await TryRunAsync(maxAttempts, attempt))
        {
            throw new InvalidOperationException($"{what} lost {maxAttempts} concurrency races in a row.");
        }
    }

    /// <summary>Runs <paramref name="attempt"/> until it returns true; false when all <paramref name="maxAttempts"/> lost.</summary>
    public static async Task<bool> TryRunAsync(int maxAttempts, Func<int, Task<bool>> attempt)
    {
        for (var number = 0; number < maxAttempts; number++)
        {
            if (await attempt(number))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A short jittered pause after a lost race (1 ms up to 10 ms per attempt so far), so writers that collided
    /// do not collide again at once. On the wall clock, as every wait between attempts is.
    /// </summary>
    public static Task BackOffAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * (attempt + 1))), TimeProvider.System, cancellationToken);

    /// <summary>The conditional write of an attempt: false when it lost to a concurrent writer in one of the <paramref name="retried"/> ways.</summary>
    public static async Task<bool> TryWriteAsync(Func<Task> write, StorageConflict retried)
    {
        try
        {
            await write();
            return true;
        }
        catch (RequestFailedException e) when (Is(e, retried))
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="e"/> (a single operation's or an entity group transaction's failure) is one of <paramref name="conflicts"/>.</summary>
    public static bool Is(RequestFailedException e, StorageConflict conflicts) =>
        (conflicts.HasFlag(StorageConflict.AlreadyExists) && (e.Status == 409 || e.ErrorCode == "EntityAlreadyExists"))
        || (conflicts.HasFlag(StorageConflict.ETagMismatch) && (e.Status == 412 || e.ErrorCode == "UpdateConditionNotSatisfied"))
        || (conflicts.HasFlag(StorageConflict.Gone) && (e.Status == 404 || e.ErrorCode == "ResourceNotFound"));
}
