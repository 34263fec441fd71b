using WalletPasses.Notifications;
using WalletPasses.Popups;

namespace WalletPasses.Apple;

/// <summary>Everything member-specific that goes into one version of a member's Apple pass.</summary>
public sealed record PassContent
{
    public required string SerialNumber { get; init; }

    public required string AuthenticationToken { get; init; }

    public required Uri WebServiceUrl { get; init; }

    public required string BarcodeMessage { get; init; }

    /// <summary>The short code shown under the QR code (pass.json <c>barcodes[].altText</c>).</summary>
    public string? BarcodeAltText { get; init; }

    public required string DisplayName { get; init; }

    public required long Points { get; init; }

    public required string TierId { get; init; }

    public string? ReferralUrl { get; init; }

    public IReadOnlyList<PassOffer> Offers { get; init; } = [];

    public bool Voided { get; init; }

    /// <summary>Leave out changeMessages so an update does not alert (the notification policy said so).</summary>
    public bool Silent { get; init; }

    /// <summary>Which fields keep their changeMessage (the changes the notification policy lets alert).</summary>
    public PassAlerts Alerts { get; init; } = PassAlerts.Legacy;

    /// <summary>The tier the latest deferred alert announced: a back field whose new value makes Wallet alert.</summary>
    public string? AnnouncedTier { get; init; }

    /// <summary>The pop-ups the pass carries (locations and a back field), at most <see cref="PopupRules.MaxPerPass"/>, soonest first.</summary>
    public IReadOnlyList<Popup> Popups { get; init; } = [];
}
