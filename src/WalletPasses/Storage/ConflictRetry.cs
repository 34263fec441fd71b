using Azure;

namespace WalletPasses.Storage;

/// <summary>The refusals of a conditional write that mean "someone else wrote first": read again and re-apply.</summary>
[Flags]
public enum StorageConflict
{
    /// <summary>409 <c>EntityAlreadyExists</c>: an insert found the row already there.</summary>
    AlreadyExists = 1,

    /// <summary>412 <c>UpdateConditionNotSatisfied</c>: the row changed since its ETag was read.</summary>
    ETagMismatch = 2,

    Any = AlreadyExists | ETagMismatch,
}

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
        || (conflicts.HasFlag(StorageConflict.ETagMismatch) && (e.Status == 412 || e.ErrorCode == "UpdateConditionNotSatisfied"));
}
