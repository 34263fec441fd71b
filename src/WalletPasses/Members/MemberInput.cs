namespace WalletPasses.Members;

/// <summary>The body of <c>PUT /api/members/{memberId}</c>; all fields nullable so missing ones are reported, not defaulted.</summary>
public sealed record MemberInput(string? DisplayName, long? Points, string? Tier, string? ReferralUrl, string? Language);
