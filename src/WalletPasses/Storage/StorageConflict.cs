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
