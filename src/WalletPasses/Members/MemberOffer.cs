namespace WalletPasses.Members;

/// <summary>An offer shown on the member's pass.</summary>
public sealed record MemberOffer(string Id, string Title, string Text, DateTimeOffset? ExpiresAt);
