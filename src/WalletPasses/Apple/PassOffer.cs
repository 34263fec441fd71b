namespace WalletPasses.Apple;

public sealed record PassOffer(string Id, string Title, string Text, DateTimeOffset? ExpiresAt);
