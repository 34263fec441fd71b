namespace WalletPasses.Members;

/// <summary>An offer as events left it, with the sequence that set it; withdrawn offers stay as tombstones.</summary>
public sealed record OfferState(string Id, string? Title, string? Text, DateTimeOffset? ExpiresAt, long Sequence, bool Withdrawn);
