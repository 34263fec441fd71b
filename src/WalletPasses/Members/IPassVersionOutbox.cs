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
}
