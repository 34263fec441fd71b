using Azure.Data.Tables;

namespace WalletPasses.Members;

/// <summary>
/// The outbox every new pass version is announced through (Delivery's announcements): the member row and its
/// announcement are written in one entity group transaction, so no version is ever stored unannounced.
/// </summary>
public interface IPassVersionOutbox
{
    /// <summary>
    /// Before a request that nothing redelivers (a member PUT or DELETE) announces a version: if the process dies
    /// before the delivery finishes, the retry job finds the member.
    /// </summary>
    Task MarkAnnouncingAsync(string memberId, CancellationToken cancellationToken);

    /// <summary>The transaction action that announces the member's new version to every platform.</summary>
    TableTransactionAction Announce(MemberEntity member);

    /// <summary>
    /// For a device that newly registered for the member's pass, whose current version is <paramref name="version"/>:
    /// the transaction action that owes the device that version (it may hold an older copy, and a device asks what
    /// changed only after a push), or null when nothing is owed. Submit it with the registration in the member's entity
    /// group transaction, after <see cref="MarkAnnouncingAsync"/>: the retry job delivers it, on whichever instance.
    /// </summary>
    Task<TableTransactionAction?> OweNewDeviceAsync(string memberId, string serialNumber, long version, string deviceLibraryIdentifier, CancellationToken cancellationToken);
}
