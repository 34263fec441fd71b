namespace WalletPasses.Members;

/// <summary>What the loyalty backend says about a member (the backend is the ledger).</summary>
public sealed record MemberProfile(string DisplayName, long Points, string Tier, string? ReferralUrl, string? Language);
