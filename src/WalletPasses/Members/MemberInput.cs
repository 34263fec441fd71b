namespace WalletPasses.Members;

/// <summary>
/// The body of <c>PUT /api/members/{memberId}</c>; all fields nullable so missing ones are reported, not defaulted.
/// <c>notifications</c> and <c>timeZone</c> are optional: left out, the member keeps theirs (new members: <c>all</c>, the program's zone).
/// The parameters with a default are the optional ones, which the OpenAPI document does not mark required.
/// <c>sequence</c>, optional: the highest loyalty event sequence of the member this PUT reflects (<see cref="SequencedPut"/>).
/// </summary>
public sealed record MemberInput(string? DisplayName, long? Points, string? Tier, string? ReferralUrl = null, string? Language = null, string? Notifications = null, string? TimeZone = null, long? Sequence = null);
