using Azure;
using Azure.Data.Tables;
using WalletPasses.Events;

namespace WalletPasses.Members;

/// <summary>What the loyalty backend says about a member (the backend is the ledger).</summary>
public sealed record MemberProfile(string DisplayName, long Points, string Tier, string? ReferralUrl, string? Language);

/// <summary>A member, their current offers and the identity of their pass, as stored.</summary>
public sealed record Member(string MemberId, MemberProfile Profile, MemberPass Pass, IReadOnlyList<MemberOffer> Offers, bool Deleted);

/// <summary>
/// The pass every platform shows for a member: one serial number, one barcode token, and a version that
/// moves whenever the pass content changes (Apple's Last-Modified and "updated since" tag derive from it).
/// <see cref="Silent"/>: this version must not alert (over the notification cap, or an erasure).
/// </summary>
public sealed record MemberPass(string SerialNumber, string BarcodeMessage, long Version, DateTimeOffset UpdatedAt, bool Voided, bool Silent, string BarcodeAltText = "");

/// <summary>An offer shown on the member's pass.</summary>
public sealed record MemberOffer(string Id, string Title, string Text, DateTimeOffset? ExpiresAt);

/// <summary>
/// Table <c>members</c>: PartitionKey = member id, RowKey = "member". One partition per member spreads
/// load evenly and lets later per-member rows (applied events, registrations) share its transactions.
/// </summary>
public sealed class MemberEntity : ITableEntity
{
    public const string RowKeyValue = "member";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string DisplayName { get; set; } = "";

    public long Points { get; set; }

    public string Tier { get; set; } = "";

    public string? ReferralUrl { get; set; }

    public string? Language { get; set; }

    public string SerialNumber { get; set; } = "";

    public string BarcodeMessage { get; set; } = "";

    /// <summary>The short code printed under the QR code (see <see cref="Barcodes.ShortCodes"/>).</summary>
    public string BarcodeAltText { get; set; } = "";

    public long PassVersion { get; set; }

    public DateTimeOffset PassUpdatedAt { get; set; }

    public bool Voided { get; set; }

    public bool PassSilent { get; set; }

    /// <summary>Erased on the backend's request: personal data gone, pass voided.</summary>
    public bool Deleted { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>JSON of the event-sourced state: per-field sequences, offers with theirs, recent alert times.</summary>
    public string? EventStateJson { get; set; }

    public Member ToMember() => new(
        PartitionKey,
        new MemberProfile(DisplayName, Points, Tier, ReferralUrl, Language),
        new MemberPass(SerialNumber, BarcodeMessage, PassVersion, PassUpdatedAt, Voided, PassSilent, BarcodeAltText),
        EventState.Parse(EventStateJson).CurrentOffers,
        Deleted);

    /// <summary>
    /// A new pass version: HTTP dates have whole seconds, so a version never shares its second with the
    /// previous one, or If-Modified-Since and the "updated since" tag would hide it.
    /// </summary>
    public void NewPassVersion(DateTimeOffset now, bool silent)
    {
        PassVersion++;
        var second = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        PassUpdatedAt = second > PassUpdatedAt ? second : PassUpdatedAt.AddSeconds(1);
        PassSilent = silent;
    }

    public void Show(Barcodes.PassBarcode? barcode)
    {
        if (barcode is not null)
        {
            BarcodeMessage = barcode.Token;
            BarcodeAltText = barcode.AltText;
        }
    }

    public void Apply(MemberProfile profile)
    {
        DisplayName = profile.DisplayName;
        Points = profile.Points;
        Tier = profile.Tier;
        ReferralUrl = profile.ReferralUrl;
        Language = profile.Language;
    }
}

/// <summary>
/// Table <c>passes</c>: PartitionKey = serial number, RowKey = "pass". The point lookup from a serial number
/// (Apple web service, barcode scans, download links) to its member, and the hash of its authenticationToken.
/// </summary>
public sealed class PassEntity : ITableEntity
{
    public const string RowKeyValue = "pass";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string MemberId { get; set; } = "";

    public string PassTypeIdentifier { get; set; } = "";

    /// <summary>Hex SHA-256 of the pass's authenticationToken; the token itself is never stored.</summary>
    public string AuthenticationTokenHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
