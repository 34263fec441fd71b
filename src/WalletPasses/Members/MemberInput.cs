namespace WalletPasses.Members;

/// <summary>
/// The body of <c>PUT /api/members/{memberId}</c>; all fields nullable so missing ones are reported, not defaulted.
/// <c>notifications</c> and <c>timeZone</c> are optional: left out, the member keeps theirs (new members: <c>all</c>, the program's zone).
/// </summary>
public sealed record MemberInput(string? DisplayName, long? Points, string? Tier, string? ReferralUrl, string? Language, string? Notifications = null, string? TimeZone = null);
