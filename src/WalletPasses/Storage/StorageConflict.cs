namespace WalletPasses.Storage;

/// <summary>The refusals of a conditional write that mean "someone else wrote first": read again and re-apply.</summary>
[Flags]
public enum StorageConflict
{
    /// <summary>409 <c>EntityAlreadyExists</c>: an insert found the row already there.</summary>
    AlreadyExists = 1,

    /// <summary>412 <c>UpdateConditionNotSatisfied</c>: the row changed since its ETag was read.</summary>
    ETagMismatch = 2,

    /// <summary>
    /// 404 <c>ResourceNotFound</c>: a delete found the row gone, deleted meanwhile by another writer (another instance
    /// trimming the same registrations). Never part of <see cref="Any"/>: only a caller that deletes names it.
    /// </summary>
    Gone = 4,

    Any = AlreadyExists | ETagMismatch,
}
