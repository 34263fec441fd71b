namespace WalletPasses.Events;

public sealed record OfferInput(string? Id, string? Title, string? Text, DateTimeOffset? ExpiresAt);
