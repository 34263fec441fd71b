namespace WalletPasses.Popups;

/// <summary>A pop-up as the API answers it; <paramref name="Phase"/> is one of <see cref="PopupPhase"/>'s on the service's clock.</summary>
public sealed record PopupDocument(
    string Id,
    string ProgramId,
    string Name,
    string Address,
    double Latitude,
    double Longitude,
    DateTimeOffset OpensAt,
    DateTimeOffset ClosesAt,
    IReadOnlyList<string> Tiers,
    string RelevantText,
    string Phase)
{
    public static PopupDocument From(string programId, Popup popup, string phase) => new(
        popup.Id, programId, popup.Name, popup.Address, popup.Latitude, popup.Longitude, popup.OpensAt, popup.ClosesAt, popup.Tiers, popup.RelevantText, phase);
}
