namespace WalletPasses.Popups;

/// <summary>A program's pop-ups, soonest opening first.</summary>
public sealed record PopupList(IReadOnlyList<PopupDocument> Popups);
