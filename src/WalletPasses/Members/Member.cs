using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Members;

/// <summary>What the loyalty backend says about a member (the backend is the ledger).</summary>
public sealed record MemberProfile(string DisplayName, long Points, string Tier, string? ReferralUrl, string? Language);

/// <summary>A member, their current offers and the identity of their pass, as stored.</summary>
public sealed record Member(string MemberId, MemberProfile Profile, MemberPass Pass, IReadOnlyList<MemberOffer> Offers, bool Deleted);

/// <summary>
/// The pass every platform shows for a member: one serial number, one barcode token, and a version that
/// moves whenever the pass content changes (Apple's "which passes changed" tag is built from versions).
/// <see cref="UpdatedAt"/> is the whole second of the version, never later than the clock that stamped it.
/// <see cref="Silent"/>: this version must not alert (over the notification cap, or an erasure).
/// </summary>
public sealed record MemberPass(string SerialNumber, string BarcodeMessage, long Version, DateTimeOffset UpdatedAt, bool Voided, bool Silent)
{
    /// <summary>The short code printed under the QR code (see <see cref="Barcodes.ShortCodes"/>).</summary>
    public string BarcodeAltText { get; init; } = "";

    /// <summary>
    /// An earlier version has the same <see cref="UpdatedAt"/> second, so an HTTP date (whole seconds) cannot
    /// tell the two apart: If-Modified-Since of that second must not be answered 304.
    /// </summary>
    public bool SharesSecondWithPrevious { get; init; }

    /// <summary>
    /// The authenticationToken devices present for this pass, stored with the member (the one source of truth;
    /// null for passes issued before tokens were stored, whose token is derived from the signing secret).
    /// </summary>
    public string? AuthenticationToken { get; init; }

    /// <summary>The published template version this pass version was made for (0: before the program's first publication).</summary>
    public long TemplateVersion { get; init; }
}

/// <summary>An offer shown on the member's pass.</summary>
public sealed record MemberOffer(string Id, string Title, string Text, DateTimeOffset? ExpiresAt);

/// <summary>
/// Table <c>members</c>: PartitionKey = member id, RowKey = "member". One partition per member spreads
/// load evenly and lets later per-member rows (applied events, registrations) share its transactions.
/// </summary>
public sealed class MemberEntity : ITableEntity
{
    public const string RowKeyValue = TableRows.Members.Member;

    /// <summary><see cref="OffersJson"/> of a member without offers.</summary>
    public const string NoOffers = "[]";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

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

    /// <summary>See <see cref="MemberPass.SharesSecondWithPrevious"/>.</summary>
    public bool PassSharesSecond { get; set; }

    /// <summary>The pass's authenticationToken (see <see cref="MemberPass.AuthenticationToken"/>).</summary>
    public string? AuthenticationToken { get; set; }

    /// <summary>Erased on the backend's request: personal data gone, pass voided.</summary>
    public bool Deleted { get; set; }

    /// <summary>See <see cref="MemberPass.TemplateVersion"/>: a template publication re-issues every pass whose version is older.</summary>
    public long TemplateVersion { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>JSON of the event-sourced state: per-field sequences, offers with theirs, recent alert times.</summary>
    public string? EventStateJson { get; set; }

    /// <summary>The columns <see cref="ToPass"/> reads: a projection of the row for the device calls (no profile, no event state).</summary>
    public static readonly IReadOnlyList<string> PassColumns =
    [
        nameof(SerialNumber), nameof(BarcodeMessage), nameof(BarcodeAltText), nameof(PassVersion), nameof(PassUpdatedAt),
        nameof(Voided), nameof(PassSilent), nameof(PassSharesSecond), nameof(AuthenticationToken), nameof(TemplateVersion),
    ];

    /// <summary>
    /// JSON of the offers the pass shows (<see cref="MemberOffer"/>s), written with the event state by <see cref="Record"/>.
    /// Null on rows stored before offers had their own column: their offers are read from <see cref="EventStateJson"/>.
    /// </summary>
    public string? OffersJson { get; set; }

    public Member ToMember() => new(
        PartitionKey,
        new MemberProfile(DisplayName, Points, Tier, ReferralUrl, Language),
        ToPass(),
        OffersJson is null ? EventState.Parse(EventStateJson).CurrentOffers : JsonSerializer.Deserialize<MemberOffer[]>(OffersJson, Json) ?? [],
        Deleted);

    public MemberPass ToPass() => new(SerialNumber, BarcodeMessage, PassVersion, PassUpdatedAt, Voided, PassSilent)
    {
        SharesSecondWithPrevious = PassSharesSecond,
        AuthenticationToken = AuthenticationToken,
        BarcodeAltText = BarcodeAltText,
        TemplateVersion = TemplateVersion,
    };

    /// <summary>Stores the event-sourced state and the offers it leaves on the pass.</summary>
    public void Record(EventState state)
    {
        EventStateJson = state.ToJson();
        OffersJson = JsonSerializer.Serialize(state.CurrentOffers, Json);
    }

    /// <summary>
    /// A new pass version, stamped with the clock's whole second (HTTP dates have no more) and never later:
    /// a version in the same second as the previous one (or stamped by a clock that is behind) keeps the
    /// previous second and is marked as sharing it, so If-Modified-Since never hides it.
    /// </summary>
    public void NewPassVersion(DateTimeOffset now, bool silent)
    {
        PassVersion++;
        var second = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        PassSharesSecond = second <= PassUpdatedAt;
        PassUpdatedAt = PassSharesSecond ? PassUpdatedAt : second;
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
/// (Apple web service, barcode scans, download links) to its member. Never changes after creation.
/// </summary>
public sealed class PassEntity : ITableEntity
{
    public const string RowKeyValue = TableRows.Passes.Pass;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string MemberId { get; set; } = "";

    public string PassTypeIdentifier { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
