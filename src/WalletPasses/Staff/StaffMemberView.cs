namespace WalletPasses.Staff;

/// <summary>What staff see of a member: first name and last initial only, tier and points.</summary>
public sealed record StaffMemberView(string DisplayName, TierView Tier, long Points);

public sealed record TierView(string Id, string Name);
