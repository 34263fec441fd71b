namespace WalletPasses.Members;

/// <summary>A member, their current offers and the identity of their pass, as stored.</summary>
public sealed record Member(string MemberId, MemberProfile Profile, MemberPass Pass, IReadOnlyList<MemberOffer> Offers, bool Deleted);
