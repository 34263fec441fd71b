namespace WalletPasses.Members;

/// <summary>
/// A member's current pass as the device calls need it (authentication, version, 304): read as a projection of the
/// member row (<see cref="MemberStore.GetPassHolderAsync"/>), without the profile and event state a pass build needs.
/// </summary>
public sealed record PassHolder(string MemberId, MemberPass Pass);
