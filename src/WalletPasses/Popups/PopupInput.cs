namespace WalletPasses.Popups;

/// <summary>The body of <c>POST …/popups</c> and <c>PUT …/popups/{popupId}</c>; every field but <c>tiers</c> is required.</summary>
public sealed record PopupInput(
    string? Name,
    string? Address,
    double? Latitude,
    double? Longitude,
    DateTimeOffset? OpensAt,
    DateTimeOffset? ClosesAt,
    string? RelevantText,
    IReadOnlyList<string>? Tiers = null);
