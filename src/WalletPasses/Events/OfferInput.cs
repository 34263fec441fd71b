namespace WalletPasses.Events;

/// <summary>An event's offer: <c>id</c> always, <c>title</c> and <c>text</c> when published (so they default, as <c>expiresAt</c> does).</summary>
public sealed record OfferInput(string? Id, string? Title = null, string? Text = null, DateTimeOffset? ExpiresAt = null);
