using WalletPasses.Delivery;
using WalletPasses.Members;

namespace WalletPasses.Publishing;

/// <summary>A member's re-issue once its version is committed, before delivery (<see cref="MemberReissue.CommitAsync"/>).</summary>
/// <param name="Member">The member row as committed (or as found, when it was re-issued already or erased).</param>
/// <param name="Announcement">The announcement of the member's version to deliver; null: nothing to deliver (erased, or a newer version took over).</param>
/// <param name="Reissued">A new pass version was made now.</param>
/// <param name="GoogleAnnounced">The version was announced to Google (object-level fields change).</param>
public sealed record CommittedReissue(MemberEntity Member, PassAnnouncementEntity? Announcement, bool Reissued, bool GoogleAnnounced);
