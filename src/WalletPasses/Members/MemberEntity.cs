using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using WalletPasses.Notifications;
using WalletPasses.Storage;

namespace WalletPasses.Members;

/// <summary>
/// Table <c>members</c>: PartitionKey = member id, RowKey = "member". One partition per member spreads
/// load evenly and lets later per-member rows (applied events, registrations) share its transactions.
/// </summary>
public sealed class MemberEntity : ITableEntity
{
    public const string RowKeyValue = TableRows.Members.Member;

    /// <summary><see cref="OffersJson"/> of a member without offers.</summary>
    public const string NoOffers = "[]";

    /// <summary><see cref="DevicesJson"/> of a member without registered devices.</summary>
    public const string NoDevices = "[]";

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

    /// <summary>See <see cref="MemberPass.Alerts"/>; null on rows stored before the notification policy (then all, unless silent).</summary>
    public int? PassAlertFlags { get; set; }

    /// <summary>See <see cref="MemberPass.Notification"/>.</summary>
    public string? PassNotification { get; set; }

    /// <summary>The member's <c>notifications</c> preference; null on rows stored before it: <c>all</c>.</summary>
    public string? NotificationPreference { get; set; }

    /// <summary>The member's IANA time zone; null: the program's default.</summary>
    public string? TimeZone { get; set; }

    /// <summary>See <see cref="Member.Announcement"/>.</summary>
    public string? Announcement { get; set; }

    /// <summary>See <see cref="MemberPass.SharesSecondWithPrevious"/>.</summary>
    public bool PassSharesSecond { get; set; }

    /// <summary>The pass's authenticationToken (see <see cref="MemberPass.AuthenticationToken"/>).</summary>
    public string? AuthenticationToken { get; set; }

    /// <summary>Erased on the backend's request: personal data gone, pass voided.</summary>
    public bool Deleted { get; set; }

    /// <summary>See <see cref="MemberPass.TemplateVersion"/>: a template publication re-issues every pass whose version is older.</summary>
    public long TemplateVersion { get; set; }

    /// <summary>See <see cref="MemberPass.PopupRevision"/>.</summary>
    public long PopupRevision { get; set; }

    /// <summary>What the pass showed of its pop-ups when a pop-up re-issue last looked (<c>Popups.PopupRules.Fingerprint</c>): it makes a new version only when this changes.</summary>
    public string? PopupFingerprint { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// JSON copy of the member's Apple device registrations, changed in the same transaction as their rows (by
    /// <c>Apple.DeviceRegistrations</c>); null when this row does not know them (stored before the copy existed).
    /// </summary>
    public string? DevicesJson { get; set; }

    /// <summary>JSON of the event-sourced state: per-field sequences, offers with theirs, recent alert times.</summary>
    public string? EventStateJson { get; set; }

    /// <summary>The columns <see cref="ToPass"/> reads: a projection of the row for the device calls (no profile, no event state).</summary>
    public static readonly IReadOnlyList<string> PassColumns =
    [
        nameof(SerialNumber), nameof(BarcodeMessage), nameof(BarcodeAltText), nameof(PassVersion), nameof(PassUpdatedAt),
        nameof(Voided), nameof(PassSilent), nameof(PassSharesSecond), nameof(AuthenticationToken), nameof(PassAlertFlags), nameof(PassNotification),
        nameof(TemplateVersion), nameof(PopupRevision),
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
        Deleted)
    {
        Notifications = NotificationSettings(),
        Announcement = Announcement,
    };

    public MemberPass ToPass() => new(SerialNumber, BarcodeMessage, PassVersion, PassUpdatedAt, Voided, PassSilent)
    {
        SharesSecondWithPrevious = PassSharesSecond,
        AuthenticationToken = AuthenticationToken,
        BarcodeAltText = BarcodeAltText,
        Alerts = PassSilent ? PassAlerts.None : (PassAlerts?)PassAlertFlags ?? PassAlerts.Legacy,
        Notification = PassNotification,
        TemplateVersion = TemplateVersion,
        PopupRevision = PopupRevision,
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
    public void NewPassVersion(DateTimeOffset now, bool silent) =>
        NewPassVersion(now, silent ? PassAlerts.None : PassAlerts.Legacy, notification: null);

    /// <inheritdoc cref="NewPassVersion(DateTimeOffset, bool)"/>
    /// <param name="alerts">The changes of this version that alert (the notification policy's decision).</param>
    /// <param name="notification">The policy's decisions, for the delivery trace.</param>
    public void NewPassVersion(DateTimeOffset now, PassAlerts alerts, string? notification)
    {
        var silent = alerts == PassAlerts.None;
        PassAlertFlags = (int)alerts;
        PassNotification = notification;
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

    public NotificationSettings NotificationSettings() => new(NotificationPreference ?? NotificationPreferences.All, TimeZone);

    public void Apply(NotificationSettings settings)
    {
        NotificationPreference = settings.Preference;
        TimeZone = settings.TimeZone;
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
