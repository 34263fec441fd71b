using System.Text.Json.Serialization;

namespace WalletPasses.Google;

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
    /// <summary>At most 10 (<see cref="GoogleValueAddedModules"/>).</summary>
    public IReadOnlyList<ValueAddedModuleData>? ValueAddedModuleData { get; init; }
    /// <summary>At most 10 (Google rejects more); Google notifies a holder who dwells near one. Replaces the deprecated <c>locations</c>.</summary>
    public IReadOnlyList<MerchantLocation>? MerchantLocations { get; init; }
}

/// <summary>Schema <c>MerchantLocation</c>: degrees, latitude −90…90, longitude −180…180 (Google rejects values outside).</summary>
public sealed record MerchantLocation(double Latitude, double Longitude);

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
