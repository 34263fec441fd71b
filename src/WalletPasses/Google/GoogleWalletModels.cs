using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace WalletPasses.Google;

// The subset of the walletobjects v1 schemas (discovery revision 20241114) a loyalty program needs.
// Property names follow the discovery document through the camelCase policy in GoogleWalletJson;
// every property is optional so the same records serve as insert, update and patch bodies
// (a patch sends only what is set; an array in a patch replaces the whole array).

/// <summary>Schema <c>LoyaltyClass</c>: what every holder of the program's passes shares.</summary>
public sealed record LoyaltyClass
{
    /// <summary><c>&lt;issuerId&gt;.&lt;suffix&gt;</c>; the suffix may hold letters, digits, '.', '_' and '-'.</summary>
    public required string Id { get; init; }
    public string? IssuerName { get; init; }
    public LocalizedString? LocalizedIssuerName { get; init; }
    public string? ProgramName { get; init; }
    public LocalizedString? LocalizedProgramName { get; init; }
    public Image? ProgramLogo { get; init; }
    public Image? HeroImage { get; init; }
    /// <summary>For example <c>#1a73e8</c>; a class field only (objects have no colour).</summary>
    public string? HexBackgroundColor { get; init; }
    /// <summary>Send <see cref="Google.ReviewStatus.UnderReview"/> or <see cref="Google.ReviewStatus.Draft"/>; Google rejects <c>APPROVED</c> from issuers.</summary>
    public ReviewStatus? ReviewStatus { get; init; }
    public string? RewardsTier { get; init; }
    public string? RewardsTierLabel { get; init; }
    /// <summary>The label of the object's <c>accountName</c>, such as "Member".</summary>
    public string? AccountNameLabel { get; init; }
    public LocalizedString? LocalizedAccountNameLabel { get; init; }
    public CallbackOptions? CallbackOptions { get; init; }
    /// <summary>ISO 3166-1 alpha-2 country code.</summary>
    public string? CountryCode { get; init; }
    public MultipleDevicesAndHoldersAllowedStatus? MultipleDevicesAndHoldersAllowedStatus { get; init; }
}

/// <summary>Schema <c>LoyaltyObject</c>: one member's pass.</summary>
public sealed record LoyaltyObject
{
    public required string Id { get; init; }
    public string? ClassId { get; init; }
    /// <summary>There is no DELETE in the API: set <c>INACTIVE</c> or <c>EXPIRED</c> to void a pass.</summary>
    public LoyaltyObjectState? State { get; init; }
    public string? AccountId { get; init; }
    public string? AccountName { get; init; }
    public LoyaltyPoints? LoyaltyPoints { get; init; }
    public LoyaltyPoints? SecondaryLoyaltyPoints { get; init; }
    public Barcode? Barcode { get; init; }
    /// <summary>At most 10.</summary>
    public IReadOnlyList<TextModuleData>? TextModulesData { get; init; }
    public LinksModuleData? LinksModuleData { get; init; }
    /// <summary>At most 10.</summary>
    public IReadOnlyList<Message>? Messages { get; init; }
    /// <summary>Set by Google once someone has saved the pass; read it, don't send it.</summary>
    public bool? HasUsers { get; init; }
    /// <summary><c>NOTIFY_ON_UPDATE</c> makes an update of an allow-listed field (such as the balance) notify the holder.</summary>
    public NotifyPreference? NotifyPreference { get; init; }
    public Image? HeroImage { get; init; }
}

/// <summary>Schema <c>Image</c>.</summary>
public sealed record Image
{
    public required ImageUri SourceUri { get; init; }
    public LocalizedString? ContentDescription { get; init; }
}

/// <summary>Schema <c>ImageUri</c>: a public HTTPS image URL.</summary>
public sealed record ImageUri(string Uri);

/// <summary>Schema <c>LocalizedString</c>.</summary>
public sealed record LocalizedString
{
    public required TranslatedString DefaultValue { get; init; }
    public IReadOnlyList<TranslatedString>? TranslatedValues { get; init; }
}

/// <summary>Schema <c>TranslatedString</c>; <paramref name="Language"/> is a BCP 47 tag such as <c>en-US</c>.</summary>
public sealed record TranslatedString(string Language, string Value);

/// <summary>Schema <c>CallbackOptions</c>: the HTTPS URL Google POSTs save/delete callbacks to.</summary>
public sealed record CallbackOptions(string Url);

/// <summary>Schema <c>LoyaltyPoints</c>.</summary>
public sealed record LoyaltyPoints
{
    public string? Label { get; init; }
    public required LoyaltyPointsBalance Balance { get; init; }
}

/// <summary>Schema <c>LoyaltyPointsBalance</c>: Google wants exactly one of its forms set.</summary>
public sealed record LoyaltyPointsBalance
{
    [JsonPropertyName("int")]
    public int? IntValue { get; init; }

    [JsonPropertyName("string")]
    public string? StringValue { get; init; }

    public static LoyaltyPointsBalance FromInt(int value) => new() { IntValue = value };

    public static LoyaltyPointsBalance FromString(string value) => new() { StringValue = value };
}

/// <summary>Schema <c>Barcode</c>.</summary>
public sealed record Barcode
{
    public required BarcodeType Type { get; init; }
    public required string Value { get; init; }
    /// <summary>Text shown under the barcode.</summary>
    public string? AlternateText { get; init; }
}

/// <summary>Schema <c>TextModuleData</c>.</summary>
public sealed record TextModuleData
{
    public string? Id { get; init; }
    public string? Header { get; init; }
    public string? Body { get; init; }
}

/// <summary>Schema <c>LinksModuleData</c>.</summary>
public sealed record LinksModuleData(IReadOnlyList<LinkUri> Uris);

/// <summary>Schema <c>Uri</c> (renamed here so it does not clash with <see cref="System.Uri"/>).</summary>
public sealed record LinkUri
{
    public required string Uri { get; init; }
    public string? Description { get; init; }
    public string? Id { get; init; }
}

/// <summary>Schema <c>Message</c>.</summary>
public sealed record Message
{
    public string? Id { get; init; }
    public string? Header { get; init; }
    public string? Body { get; init; }
    /// <summary><c>TEXT_AND_NOTIFY</c> notifies the holder; Google allows 3 notifications per pass per 24 hours.</summary>
    public MessageType? MessageType { get; init; }
    public TimeInterval? DisplayInterval { get; init; }
}

/// <summary>Schema <c>TimeInterval</c>.</summary>
public sealed record TimeInterval
{
    public WalletDateTime? Start { get; init; }
    public WalletDateTime? End { get; init; }
}

/// <summary>Schema <c>DateTime</c>: <paramref name="Date"/> is ISO 8601 extended, for example <c>2026-11-23T10:00:00Z</c>.</summary>
public sealed record WalletDateTime(string Date)
{
    public static WalletDateTime From(DateTimeOffset instant) =>
        new(instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}

/// <summary>Schema <c>AddMessageRequest</c>.</summary>
public sealed record AddMessageRequest(Message Message);

/// <summary>Schema <c>LoyaltyObjectAddMessageResponse</c>.</summary>
internal sealed record LoyaltyObjectAddMessageResponse(LoyaltyObject Resource);

/// <summary>Google's error body: <c>{"error":{"code","message","status","errors":[{"message","domain","reason"}]}}</c>.</summary>
public sealed record GoogleErrorResponse(GoogleError Error);

/// <summary>
/// The <c>error</c> member of Google's error body; <paramref name="Status"/> is for example <c>ALREADY_EXISTS</c>,
/// <paramref name="Errors"/> carry the reason (<c>quotaExceeded</c>, <c>permissionDenied</c>, ...).
/// </summary>
public sealed record GoogleError(int Code, string? Message, string? Status, IReadOnlyList<GoogleErrorDetail>? Errors = null);

/// <summary>One entry of the <c>errors</c> array of Google's error body.</summary>
public sealed record GoogleErrorDetail(string? Message, string? Domain, string? Reason);

[JsonConverter(typeof(JsonStringEnumConverter<ReviewStatus>))]
public enum ReviewStatus
{
    [JsonStringEnumMemberName("REVIEW_STATUS_UNSPECIFIED")] Unspecified,
    [JsonStringEnumMemberName("UNDER_REVIEW")] UnderReview,
    [JsonStringEnumMemberName("APPROVED")] Approved,
    [JsonStringEnumMemberName("REJECTED")] Rejected,
    [JsonStringEnumMemberName("DRAFT")] Draft,
}

[JsonConverter(typeof(JsonStringEnumConverter<MultipleDevicesAndHoldersAllowedStatus>))]
public enum MultipleDevicesAndHoldersAllowedStatus
{
    [JsonStringEnumMemberName("STATUS_UNSPECIFIED")] Unspecified,
    [JsonStringEnumMemberName("MULTIPLE_HOLDERS")] MultipleHolders,
    [JsonStringEnumMemberName("ONE_USER_ALL_DEVICES")] OneUserAllDevices,
    [JsonStringEnumMemberName("ONE_USER_ONE_DEVICE")] OneUserOneDevice,
}

[JsonConverter(typeof(JsonStringEnumConverter<LoyaltyObjectState>))]
public enum LoyaltyObjectState
{
    [JsonStringEnumMemberName("STATE_UNSPECIFIED")] Unspecified,
    [JsonStringEnumMemberName("ACTIVE")] Active,
    [JsonStringEnumMemberName("COMPLETED")] Completed,
    [JsonStringEnumMemberName("EXPIRED")] Expired,
    [JsonStringEnumMemberName("INACTIVE")] Inactive,
}

[JsonConverter(typeof(JsonStringEnumConverter<NotifyPreference>))]
public enum NotifyPreference
{
    [JsonStringEnumMemberName("NOTIFICATION_SETTINGS_FOR_UPDATES_UNSPECIFIED")] Unspecified,
    [JsonStringEnumMemberName("NOTIFY_ON_UPDATE")] NotifyOnUpdate,
}

[JsonConverter(typeof(JsonStringEnumConverter<BarcodeType>))]
public enum BarcodeType
{
    [JsonStringEnumMemberName("BARCODE_TYPE_UNSPECIFIED")] Unspecified,
    [JsonStringEnumMemberName("AZTEC")] Aztec,
    [JsonStringEnumMemberName("CODE_39")] Code39,
    [JsonStringEnumMemberName("CODE_128")] Code128,
    [JsonStringEnumMemberName("CODABAR")] Codabar,
    [JsonStringEnumMemberName("DATA_MATRIX")] DataMatrix,
    [JsonStringEnumMemberName("EAN_8")] Ean8,
    [JsonStringEnumMemberName("EAN_13")] Ean13,
    [JsonStringEnumMemberName("ITF_14")] Itf14,
    [JsonStringEnumMemberName("PDF_417")] Pdf417,
    [JsonStringEnumMemberName("QR_CODE")] QrCode,
    [JsonStringEnumMemberName("UPC_A")] UpcA,
    [JsonStringEnumMemberName("TEXT_ONLY")] TextOnly,
}

[JsonConverter(typeof(JsonStringEnumConverter<MessageType>))]
public enum MessageType
{
    [JsonStringEnumMemberName("MESSAGE_TYPE_UNSPECIFIED")] Unspecified,
    [JsonStringEnumMemberName("TEXT")] Text,
    [JsonStringEnumMemberName("EXPIRATION_NOTIFICATION")] ExpirationNotification,
    [JsonStringEnumMemberName("TEXT_AND_NOTIFY")] TextAndNotify,
}

/// <summary>The JSON settings Google's REST API expects: camelCase names, nulls left out.</summary>
public static class GoogleWalletJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>
    /// Whether a stored resource already has every field <paramref name="wanted"/> sets. Fields Google adds
    /// (hasUsers, kind, version, ...) do not count; a value Google normalised differently just means one more write.
    /// </summary>
    public static bool HasAllFieldsOf<T>(T existing, T wanted)
    {
        var stored = JsonSerializer.SerializeToNode(existing, Options)!.AsObject();
        var fields = JsonSerializer.SerializeToNode(wanted, Options)!.AsObject();
        return fields.All(field => JsonNode.DeepEquals(field.Value, stored[field.Key]));
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
